import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { err, ok, type Result } from '../base/result.ts';

import type { Journal } from '../report/journal.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';

/** The results file's format tag, on its first line. */
export const RESULTS_FORMAT = 'mapek-results/1';

/** What a results file belongs to: `--resume` continues only the same sweep. */
export interface SweepIdentity {
  /** The scenarios, in order: each file as given and the SHA-256 of the scenario it holds (as parsed). */
  readonly scenarios: readonly { readonly file: string; readonly sha256: string }[];
  /** `--policy`, or null for each scenario's own. */
  readonly policy: string | null;
  /** The seeds asked for (`1..200` for `--seeds 1..200`, `7` for `--seed 7`), or null for each scenario's own. */
  readonly seeds: string | null;
  /** `--shard i/n`, or null. */
  readonly shard: string | null;
}

/** One finished run, as a line of the file. */
export interface ResultLine {
  readonly file: string;
  readonly seed: number;
  readonly journal: Journal;
}

/** A results file that cannot be continued. */
export interface ResultsError {
  readonly kind: 'results-unreadable' | 'results-mismatch';
  readonly message: string;
}

/** The digest a results file records for a scenario: changed values, not changed comments, make it differ. */
export const scenarioDigest = (scenario: Scenario): string =>
  createHash('sha256').update(JSON.stringify(scenario)).digest('hex');

const header = (identity: SweepIdentity): string =>
  JSON.stringify({ format: RESULTS_FORMAT, sweep: identity });

/** Which runs a results file already holds, by scenario file and seed. */
export const runKey = (file: string, seed: number): string => `${seed}\u0000${file}`;

/**
 * A sweep's results as they finish, one NDJSON line per run (the first line says which sweep), appended and
 * flushed to disk as each run completes: an interrupted sweep keeps every run it finished, and `--resume`
 * reads them back and runs only the rest. A line cut short by a crash is dropped on resume.
 */
export class ResultsFile {
  private constructor(
    readonly path: string,
    private fd: number,
    /** The runs the file held when it was opened (resumed), by {@link runKey}. */
    readonly finished: ReadonlyMap<string, Journal>,
  ) {}

  /** Starts a new results file (replacing any), with its header line. */
  static create(path: string, identity: SweepIdentity): Result<ResultsFile, ResultsError> {
    try {
      const fd = openSync(path, 'w');
      const file = new ResultsFile(path, fd, new Map());
      file.append(header(identity));
      return ok(file);
    } catch (e) {
      return err({ kind: 'results-unreadable', message: `cannot write ${path}: ${messageOf(e)}` });
    }
  }

  /**
   * Opens a results file to continue it: it must exist and belong to the same sweep (the same scenarios,
   * policy, seeds and shard); its complete lines are the runs already done.
   */
  static resume(path: string, identity: SweepIdentity): Result<ResultsFile, ResultsError> {
    const read = readResults(path);
    if (!read.ok) return err({ ...read.error, message: `cannot resume: ${read.error.message}` });
    const { first, runs, complete } = read.value;
    if (first !== header(identity)) {
      return err({
        kind: 'results-mismatch',
        message: `cannot resume from ${path}: ${describeMismatch(first, identity)}; run without --resume to start again`,
      });
    }
    const finished = new Map<string, Journal>();
    for (const r of runs) finished.set(runKey(r.file, r.seed), r.journal);
    try {
      // A line cut short by a crash is dropped: its run is run again. New lines go after the others.
      const cut = openSync(path, 'r+');
      ftruncateSync(cut, Buffer.byteLength(complete));
      closeSync(cut);
      const file = new ResultsFile(path, openSync(path, 'a'), finished);
      return ok(file);
    } catch (e) {
      return err({ kind: 'results-unreadable', message: `cannot write ${path}: ${messageOf(e)}` });
    }
  }

  /** Appends one finished run and flushes it to disk. */
  add(line: ResultLine): Result<void, ResultsError> {
    try {
      this.append(JSON.stringify(line));
      return ok(undefined);
    } catch (e) {
      return err({ kind: 'results-unreadable', message: `cannot write ${this.path}: ${messageOf(e)}` });
    }
  }

  private append(line: string): void {
    const bytes = Buffer.from(`${line}\n`);
    let at = 0;
    while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at, null);
    fsyncSync(this.fd);
  }

  /** Closes the file; it stays on disk, whole up to its last line. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** A results file as read: its header line (and what it says), its finished runs, its complete text. */
export interface ReadResults {
  readonly first: string;
  readonly identity: SweepIdentity;
  readonly runs: readonly ResultLine[];
  /** The text up to its last whole line (a line cut short by a crash is not part of it). */
  readonly complete: string;
}

/** Reads a results file: a header naming its sweep, then one finished run a line. */
export const readResults = (path: string): Result<ReadResults, ResultsError> => {
  if (!existsSync(path)) return err({ kind: 'results-unreadable', message: `no results file ${path}` });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return err({ kind: 'results-unreadable', message: `cannot read ${path}: ${messageOf(e)}` });
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const [first = '', ...lines] = complete.split('\n').filter((l) => l !== '');
  let identity: SweepIdentity | undefined;
  try {
    const h = JSON.parse(first) as { format?: unknown; sweep?: SweepIdentity };
    if (h.format === RESULTS_FORMAT) identity = h.sweep;
  } catch {
    identity = undefined;
  }
  if (identity === undefined)
    return err({ kind: 'results-unreadable', message: `${path} is not a mapek results file (line 1)` });
  const runs: ResultLine[] = [];
  for (const [i, line] of lines.entries()) {
    const parsed = parseLine(line);
    if (parsed === null)
      return err({ kind: 'results-unreadable', message: `${path}: line ${i + 2} is not a finished run` });
    runs.push(parsed);
  }
  return ok({ first, identity, runs, complete });
};

/** The header line of a results file of `identity`. */
export const resultsHeader = (identity: SweepIdentity): string => header(identity);

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const parseLine = (line: string): ResultLine | null => {
  try {
    const v = JSON.parse(line) as Partial<ResultLine>;
    if (typeof v.file !== 'string' || typeof v.seed !== 'number' || typeof v.journal !== 'object')
      return null;
    return v as ResultLine;
  } catch {
    return null;
  }
};

/** What differs between a file's header and this sweep, in words. */
const describeMismatch = (first: string | undefined, identity: SweepIdentity): string => {
  let theirs: { format?: unknown; sweep?: Partial<SweepIdentity> };
  try {
    theirs = JSON.parse(first ?? '') as typeof theirs;
  } catch {
    return 'it is not a mapek results file';
  }
  if (theirs.format !== RESULTS_FORMAT || theirs.sweep === undefined) return 'it is not a mapek results file';
  const s = theirs.sweep;
  if (
    JSON.stringify(s.scenarios?.map((x) => x.file)) !== JSON.stringify(identity.scenarios.map((x) => x.file))
  )
    return 'it holds a sweep of other scenario files';
  if (JSON.stringify(s.scenarios) !== JSON.stringify(identity.scenarios))
    return 'a scenario file changed since the sweep began';
  if (s.policy !== identity.policy) return `it holds a sweep with --policy ${s.policy ?? "(the scenarios')"}`;
  if (s.seeds !== identity.seeds) return `it holds a sweep of seeds ${s.seeds ?? "(the scenarios')"}`;
  return 'it holds another shard of the sweep';
};
