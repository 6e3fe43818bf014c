import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { readRegularFile } from '../base/read-regular-file.ts';
import { err, ok, type Result } from '../base/result.ts';
import { mapIssues, sortIssues } from './issue-mapping.ts';
import { firstJsonSyntaxError } from './json-syntax.ts';
import { type LoadError, type SourcePosition, singleIssueError } from './load-error.ts';
import { type Scenario, scenarioSchema } from './schema/scenario.ts';
import { semanticIssues } from './semantic-validation.ts';
import { type Locate, locator } from './source-positions.ts';
import { decodeScenarioBytes, MAX_SCENARIO_BYTES } from './source-text.ts';
import { withStrategyCatalog } from './strategy-catalog-file.ts';
import { parseScenarioDocument } from './yaml-document.ts';

/** A scenario file, read and checked. */
export interface LoadedScenario {
  /** The path as given. */
  readonly file: string;
  readonly format: 'yaml' | 'json';
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** The document as plain data, as the schema read it: what a journal embeds and `replay` reads back. */
  readonly input: unknown;
  readonly scenario: Scenario;
}

/** `.json` files, or text that opens with `{`, are JSON; everything else is YAML. Both parse as YAML 1.2. */
const formatOf = (file: string, text: string): 'yaml' | 'json' => {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
};

const NO_POSITIONS: Locate = () => null;

const positionInText = (text: string, offset: number): SourcePosition => {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
};

/**
 * Checks plain data against the scenario schema. Issues carry positions when `locate` knows the source
 * (a file), and none when the data came from elsewhere (a journal being replayed).
 */
export const parseScenarioValue = (
  input: unknown,
  file: string,
  locate: Locate = NO_POSITIONS,
): Result<Scenario, LoadError> => {
  const parsed = scenarioSchema.safeParse(input);
  if (parsed.success) {
    const semantic = semanticIssues(parsed.data, input);
    if (semantic.length === 0) return ok(parsed.data);
    const count = semantic.length;
    return err({
      kind: 'invalid',
      file,
      message: `the scenario cannot run as written (${count} problem${count === 1 ? '' : 's'})`,
      issues: semantic.map((i) => ({ file, position: locate(i.path), path: i.path, message: i.message })),
    });
  }
  const issues = sortIssues(mapIssues({ file, input, root: scenarioSchema, locate }, parsed.error.issues));
  const count = issues.length;
  return err({
    kind: 'invalid',
    file,
    message: `the scenario is invalid (${count} problem${count === 1 ? '' : 's'})`,
    issues: issues.length > 0 ? issues : [{ file, position: null, path: [], message: 'invalid scenario' }],
  });
};

/** Loads a scenario from the bytes of a file named `file` (the name is used for messages only). */
export const loadScenarioBytes = (bytes: Uint8Array, file: string): Result<LoadedScenario, LoadError> => {
  const text = decodeScenarioBytes(bytes, file);
  if (!text.ok) return text;
  const format = formatOf(file, text.value);
  if (format === 'json') {
    // The YAML parser below reads JSON with positions, but it also accepts what JSON does not.
    const bad = firstJsonSyntaxError(text.value);
    if (bad !== null) {
      return err(
        singleIssueError(
          'syntax',
          file,
          `JSON syntax: ${bad.message}`,
          positionInText(text.value, bad.offset),
        ),
      );
    }
  }
  const doc = parseScenarioDocument(text.value, file);
  if (!doc.ok) return doc;
  const { document, lineCounter, value } = doc.value;
  const scenario = parseScenarioValue(value, file, locator(document, lineCounter));
  if (!scenario.ok) return scenario;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return ok({ file, format, sha256, input: value, scenario: scenario.value });
};

/** Loads a scenario from text (tests, editors); `file` names it in messages. */
export const loadScenarioText = (text: string, file: string): Result<LoadedScenario, LoadError> =>
  loadScenarioBytes(new TextEncoder().encode(text), file);

/** Reads and checks a scenario file (YAML or JSON). Every failure is a typed {@link LoadError}. */
export const loadScenarioFile = (file: string): Result<LoadedScenario, LoadError> => {
  // Only a regular file is read, and only up to the cap: /dev/zero or a FIFO is refused at once.
  const bytes = readRegularFile(file, MAX_SCENARIO_BYTES);
  if (!bytes.ok) {
    const { reason, bytes: size } = bytes.error;
    if (bytes.error.kind === 'too-large' && size !== undefined) {
      const message = `the file is ${size} bytes; scenario files are limited to ${MAX_SCENARIO_BYTES} bytes`;
      return err({
        kind: 'too-large',
        file,
        message,
        bytes: size,
        limitBytes: MAX_SCENARIO_BYTES,
        issues: [{ file, position: null, path: [], message }],
      });
    }
    const message = `cannot read the file: ${reason}`;
    return err({
      kind: 'unreadable',
      file,
      reason,
      message,
      issues: [{ file, position: null, path: [], message }],
    });
  }
  const loaded = loadScenarioBytes(bytes.value, file);
  if (!loaded.ok) return loaded;
  // Files the scenario names (a strategy catalog) are read now, relative to it, so a run needs no disk.
  const scenario = withStrategyCatalog(loaded.value.scenario, file);
  return scenario.ok ? ok({ ...loaded.value, scenario: scenario.value }) : scenario;
};
