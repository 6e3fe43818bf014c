import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type YAMLError,
} from 'yaml';
import { err, ok, type Result } from '../base/result.ts';
import {
  type LoadError,
  type LoadErrorKind,
  type LoadIssue,
  type PathSegment,
  type SourcePosition,
  singleIssueError,
} from './load-error.ts';
import { positionOf } from './source-positions.ts';

/** A parsed scenario document: the plain value, and the source tree to point back into. */
export interface ParsedDocument {
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The document as plain JSON-like data, ready for the schema. */
  readonly value: unknown;
}

/** Limits that keep a hostile file from costing more than a glance. */
export const DOCUMENT_LIMITS = {
  /** Alias expansions the `yaml` package allows (count x nested aliases): stops "billion laughs". */
  maxAliasCount: 100,
  /** Nesting depth of mappings and lists; a scenario needs about six. */
  maxDepth: 64,
  /** Nodes in the source tree, and values after aliases expand. */
  maxNodes: 100_000,
} as const;

/** Keys that could reach an object's prototype in code that copies the data naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The YAML 1.2 core tags; anything else (`!!binary`, `!!set`, custom tags) is refused. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/** The first line of a yaml error without the " at line N, column M" the position already says. */
const yamlMessage = (e: YAMLError): string =>
  (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');

interface Finding {
  readonly kind: Extract<
    LoadErrorKind,
    'too-complex' | 'unsupported-tag' | 'forbidden-key' | 'duplicate-key' | 'syntax'
  >;
  readonly offset: number;
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** The order in which findings decide the error's kind: the most alarming first. */
const FINDING_PRIORITY: readonly Finding['kind'][] = [
  'too-complex',
  'forbidden-key',
  'unsupported-tag',
  'duplicate-key',
  'syntax',
];

const offsetOf = (node: Node | null | undefined, fallback: number): number => node?.range?.[0] ?? fallback;

/**
 * Walks the source tree once, without recursion (a hostile file may nest thousands deep), and reports
 * forbidden or duplicate keys, non-scalar keys, non-core tags, and trees too deep or too large.
 */
const inspectTree = (root: Node, pos: (offset: number) => SourcePosition): Finding[] => {
  const findings: Finding[] = [];
  const stack: { node: Node; path: readonly PathSegment[]; depth: number }[] = [
    { node: root, path: [], depth: 0 },
  ];
  let count = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined) break;
    const { node, path, depth } = item;
    count++;
    const at = offsetOf(node, 0);
    if (count > DOCUMENT_LIMITS.maxNodes) {
      return [
        {
          kind: 'too-complex',
          offset: at,
          path,
          message: `the document has more than ${DOCUMENT_LIMITS.maxNodes} values; a scenario needs far fewer`,
        },
      ];
    }
    if (depth > DOCUMENT_LIMITS.maxDepth) {
      return [
        {
          kind: 'too-complex',
          offset: at,
          path,
          message: `the document nests deeper than ${DOCUMENT_LIMITS.maxDepth} levels`,
        },
      ];
    }
    if (!isAlias(node) && node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
      findings.push({
        kind: 'unsupported-tag',
        offset: at,
        path,
        message: `the tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported: write plain values`,
      });
    }
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (!isScalar(key)) {
          findings.push({
            kind: 'syntax',
            offset: offsetOf(key as Node | null, at),
            path,
            message: 'a key must be a plain name, not a list or a mapping',
          });
          continue;
        }
        const name = String(key.value);
        const keyOffset = offsetOf(key, at);
        if (FORBIDDEN_KEYS.has(name)) {
          findings.push({
            kind: 'forbidden-key',
            offset: keyOffset,
            path: [...path, name],
            message: `the key "${name}" is not allowed in a scenario file`,
          });
        }
        const first = seen.get(name);
        if (first !== undefined) {
          findings.push({
            kind: 'duplicate-key',
            offset: keyOffset,
            path: [...path, name],
            message: `duplicate key "${name}" (first at line ${pos(first).line})`,
          });
        } else {
          seen.set(name, keyOffset);
        }
        if (pair.value !== null && typeof pair.value === 'object') {
          stack.push({ node: pair.value as Node, path: [...path, name], depth: depth + 1 });
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((child, i) => {
        if (child !== null && typeof child === 'object') {
          stack.push({ node: child as Node, path: [...path, i], depth: depth + 1 });
        }
      });
    }
  }
  return findings;
};

/** Counts values in the expanded data without recursion; stops once past the limit. */
const valueCount = (value: unknown, limit: number): number => {
  const stack: unknown[] = [value];
  let count = 0;
  while (stack.length > 0 && count <= limit) {
    const v = stack.pop();
    count++;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return count;
};

/** Offset of the first alias in the file, where a bomb starts going off. */
const firstAliasOffset = (root: Node): number => {
  const stack: Node[] = [root];
  let first = Number.POSITIVE_INFINITY;
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === undefined) break;
    if (isAlias(n)) first = Math.min(first, offsetOf(n, first));
    if (isMap(n)) for (const p of n.items) if (isPair(p) && p.value) stack.push(p.value as Node);
    if (isSeq(n)) for (const c of n.items) if (c && typeof c === 'object') stack.push(c as Node);
  }
  return Number.isFinite(first) ? first : 0;
};

/**
 * Parses the text of a scenario file (YAML 1.2, which JSON is a subset of) into one document, keeping
 * source positions. Refuses, each with its own message and position: a syntax error, several documents,
 * an empty document, a non-core tag, a forbidden key (`__proto__`, `constructor`, `prototype`), a duplicate
 * key, and trees too deep, too large or with aliases that expand without bound (a YAML bomb).
 */
export const parseScenarioDocument = (text: string, file: string): Result<ParsedDocument, LoadError> => {
  const lineCounter = new LineCounter();
  const pos = (offset: number) => positionOf(lineCounter, offset);
  const tooDeep = (offset: number) =>
    err(
      singleIssueError(
        'too-complex',
        file,
        `the document nests too deeply (a scenario needs about six levels; at most ${DOCUMENT_LIMITS.maxDepth} are allowed)`,
        pos(offset),
      ),
    );
  let docs: readonly Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: false, // duplicates are reported below, with the position of the first occurrence
      version: '1.2',
    });
  } catch (e) {
    // The parser recurses on nesting; a hostile file can exhaust the stack before any limit of ours applies.
    if (e instanceof RangeError) return tooDeep(0);
    throw e;
  }
  const first = docs[0];
  if (first === undefined) {
    return err(
      singleIssueError('empty', file, 'the file has no content (only blank lines or comments)', pos(0)),
    );
  }
  const second = docs[1];
  if (second !== undefined) {
    return err(
      singleIssueError(
        'multiple-documents',
        file,
        'the file holds several YAML documents (separated by ---): a scenario file holds exactly one',
        pos(second.range[0]),
      ),
    );
  }
  const problems = [...first.errors, ...first.warnings];
  const overflow = problems.find((e) => /call stack/i.test(e.message));
  if (overflow !== undefined) return tooDeep(overflow.pos[0]);
  if (problems.length > 0) {
    const issues: LoadIssue[] = problems.map((e) => ({
      file,
      position: pos(e.pos[0]),
      path: [],
      message: `YAML syntax: ${yamlMessage(e)}`,
    }));
    return err({ kind: 'syntax', file, message: 'the file is not valid YAML', issues });
  }
  const root = first.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    return err(singleIssueError('empty', file, 'the document is empty: expected a scenario', pos(0)));
  }
  const findings = inspectTree(root, pos);
  for (const kind of FINDING_PRIORITY) {
    const ofKind = findings.filter((f) => f.kind === kind);
    const head = ofKind[0];
    if (head === undefined) continue;
    const issues: LoadIssue[] = ofKind
      .sort((a, b) => a.offset - b.offset)
      .map((f) => ({ file, position: pos(f.offset), path: f.path, message: f.message }));
    return err({ kind, file, message: issues[0]?.message ?? head.message, issues });
  }
  let value: unknown;
  try {
    value = first.toJS({ maxAliasCount: DOCUMENT_LIMITS.maxAliasCount });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      return err(
        singleIssueError(
          'alias-bomb',
          file,
          `aliases expand without bound (a YAML bomb): at most ${DOCUMENT_LIMITS.maxAliasCount} alias expansions are allowed`,
          pos(firstAliasOffset(root)),
        ),
      );
    }
    throw e;
  }
  if (valueCount(value, DOCUMENT_LIMITS.maxNodes) > DOCUMENT_LIMITS.maxNodes) {
    return err(
      singleIssueError(
        'alias-bomb',
        file,
        `aliases expand to more than ${DOCUMENT_LIMITS.maxNodes} values: a scenario needs far fewer`,
        pos(firstAliasOffset(root)),
      ),
    );
  }
  return ok({ document: first, lineCounter, value });
};
