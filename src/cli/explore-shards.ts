import type { AtomicFile } from '../base/atomic-write.ts';
import { formatWallSeconds, plural } from '../base/format.ts';
import { readRegularTextFile } from '../base/read-regular-file.ts';
import { err, ok, type Result } from '../base/result.ts';
import { type Shard, shardText } from '../base/shard.ts';
import type { Counterexample, ExploreResult } from '../testing/explore.ts';
import { mergeExploreShards } from '../testing/explore-shards.ts';
import type { FaultBudget } from '../testing/fault-budget.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { type MergeError, shardSet } from './merge-shards.ts';

/** The `format` of a file `explore --shard i/n` writes. */
export const EXPLORE_SHARD_FORMAT = 'mapek-explore-shard';
const VERSION = 1;
/** A shard holds one counterexample at most: far below this. */
export const MAX_SHARD_BYTES = 16 * 1024 * 1024;

/** What makes files the shards of one search: equal in every shard of it. */
export interface ExploreSearch {
  /** The scenario file the search started from, as given. */
  readonly scenarioFile: string;
  readonly scenarioName: string;
  /** fast-check's seed: a sharded search needs one given, so every shard meets the same candidates. */
  readonly seed: number;
  readonly runs: number;
  readonly policy: string;
  readonly budget: FaultBudget;
  /** The flags that shape the search, as the unsharded command would write them (`searchFlags`). */
  readonly flags: readonly string[];
}

/** A counterexample as a shard keeps it: its run is left out, its trace hash kept for the replay check. */
export type ShardCounterexample = Omit<Counterexample, 'run'> & { readonly traceHash: string | null };

/** What `explore --shard i/n` writes: its part of the search and what it found. */
export interface ExploreShardFile {
  readonly format: typeof EXPLORE_SHARD_FORMAT;
  readonly version: number;
  readonly shard: Shard;
  readonly search: ExploreSearch;
  /** Wall-clock time the shard's search took, for reports only. */
  readonly wallMs: number;
  readonly result:
    | { readonly kind: 'passed'; readonly runs: number }
    | { readonly kind: 'counterexample'; readonly counterexample: ShardCounterexample };
}

/** Where `explore --shard i/n` writes by default: `scenarios/x.yaml` -> `x.explore-shard-2-of-3.json`. */
export const defaultShardOut = (scenarioBase: string, shard: Shard): string =>
  `${scenarioBase}.explore-shard-${shard.index}-of-${shard.count}.json`;

/** The shard file of a finished search (JSON text, one trailing newline). */
export const renderExploreShard = (
  shard: Shard,
  search: ExploreSearch,
  result: ExploreResult,
  wallMs: number,
): string => {
  const file: ExploreShardFile = {
    format: EXPLORE_SHARD_FORMAT,
    version: VERSION,
    shard,
    search,
    wallMs: Math.round(wallMs),
    result:
      result.kind === 'passed'
        ? { kind: 'passed', runs: result.runs }
        : { kind: 'counterexample', counterexample: shardCounterexample(result.counterexample) },
  };
  return `${JSON.stringify(file, null, 2)}\n`;
};

const shardCounterexample = (c: Counterexample): ShardCounterexample => {
  const { run, ...rest } = c;
  return { ...rest, traceHash: run?.outcome.traceHash ?? null };
};

/**
 * Finishes `explore --shard i/n`: writes its shard file to `out` and says what it found. Exit 1 when it found a
 * counterexample (the merged search has one too: the first of the shards'), 3 when the simulation threw.
 */
export const writeExploreShard = (
  ctx: CliContext,
  out: AtomicFile,
  outPath: string,
  shard: Shard,
  search: ExploreSearch,
  result: ExploreResult,
  wallMs: number,
): void => {
  const committed = out.finish(renderExploreShard(shard, search, result, wallMs));
  if (!committed.ok) {
    ctx.warn(`mapek: ${committed.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const own = `shard ${shardText(shard)}`;
  ctx.print(
    result.kind === 'passed'
      ? `PASS  ${own}: no SLO violated in its share of ${result.runs} runs  [${formatWallSeconds(wallMs)}]`
      : `FAIL  ${own}: counterexample after ${plural(result.counterexample.runsToFailure, 'run')} of the search, shrunk to ${plural(result.counterexample.faults.length, 'fault')}  [${formatWallSeconds(wallMs)}]`,
    `      wrote ${outPath}; \`mapek merge\` of every shard's file gives the unsharded search's answer`,
  );
  if (result.kind === 'counterexample') {
    if (result.counterexample.reason.kind === 'threw') {
      ctx.internalError(
        `while running a generated schedule (see ${outPath})`,
        new Error(result.counterexample.reason.message),
      );
      return;
    }
    ctx.exit(EXIT.sloViolated);
  }
};

/** Whether a file's text is an explore shard (so `mapek merge` knows what it was given). */
export const isExploreShardText = (text: string): boolean => {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && 'format' in v && v.format === EXPLORE_SHARD_FORMAT;
  } catch {
    return false;
  }
};

/** What the shards of one search add up to: the unsharded search and its result. */
export interface MergedExplore {
  readonly search: ExploreSearch;
  readonly shards: number;
  /** The shards' wall-clock times added up. */
  readonly wallMs: number;
  readonly result:
    | { readonly kind: 'passed'; readonly runs: number }
    | {
        readonly kind: 'counterexample';
        readonly counterexample: Counterexample;
        readonly traceHash: string | null;
      };
}

const fail = (kind: MergeError['kind'], message: string) => err<MergeError>({ kind, message });

/** A shard's counterexample as the search reports it, without its run (the merge does not rerun it). */
const withoutHash = (c: ShardCounterexample): Counterexample => {
  const { traceHash: _traceHash, ...rest } = c;
  return { ...rest, run: null };
};

const readShard = (path: string): Result<ExploreShardFile, MergeError> => {
  const text = readRegularTextFile(path, MAX_SHARD_BYTES);
  if (!text.ok) return fail('merge-unreadable', `${path} ${text.error.reason}`);
  let v: unknown;
  try {
    v = JSON.parse(text.value);
  } catch (e) {
    return fail('merge-unreadable', `${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const file = v as Partial<ExploreShardFile> | null;
  if (file === null || typeof file !== 'object' || file.format !== EXPLORE_SHARD_FORMAT) {
    return fail('merge-unreadable', `${path} is not a shard of \`mapek explore --shard\``);
  }
  if (file.version !== VERSION) {
    return fail(
      'merge-unreadable',
      `${path} is an explore shard of version ${file.version}; this mapek reads ${VERSION}`,
    );
  }
  const { shard, search, result } = file;
  const shardOk =
    shard !== undefined && Number.isSafeInteger(shard.index) && Number.isSafeInteger(shard.count);
  const resultOk = result?.kind === 'passed' || result?.kind === 'counterexample';
  if (!shardOk || search === undefined || !resultOk) {
    return fail('merge-unreadable', `${path} lacks its shard, search or result, or holds them malformed`);
  }
  return ok(file as ExploreShardFile);
};

/**
 * Combines the shard files of one search (`explore --shard i/n`, every shard once) into the result one
 * unsharded search gives: the counterexample that comes first in the candidates, or a pass of every run.
 * Refused, with the reason, when the files belong to different searches or a shard is missing or given twice.
 */
export const mergeExploreShardFiles = (paths: readonly string[]): Result<MergedExplore, MergeError> => {
  const files: { path: string; file: ExploreShardFile }[] = [];
  for (const path of paths) {
    const read = readShard(path);
    if (!read.ok) return read;
    files.push({ path, file: read.value });
  }
  const [first] = files;
  if (first === undefined) return fail('merge-unreadable', 'no explore shard to merge');
  const { search } = first.file;
  for (const { path, file } of files) {
    if (JSON.stringify(file.search) !== JSON.stringify(search))
      return fail('merge-mismatch', `${path} is a shard of another search than ${first.path}`);
  }
  const set = shardSet(files.map(({ path, file }) => ({ path, shard: file.shard })));
  if (!set.ok) return set;
  const results: ExploreResult[] = files.map(({ file }) =>
    file.result.kind === 'passed'
      ? { kind: 'passed', seed: search.seed, runs: file.result.runs }
      : {
          kind: 'counterexample',
          seed: search.seed,
          counterexample: withoutHash(file.result.counterexample),
        },
  );
  const merged = mergeExploreShards(results);
  if (merged === null) return fail('merge-unreadable', 'no explore shard to merge');
  const whole = { search, shards: files.length, wallMs: files.reduce((t, f) => t + (f.file.wallMs ?? 0), 0) };
  if (merged.kind === 'passed') return ok({ ...whole, result: { kind: 'passed', runs: merged.runs } });
  // The merge keeps one of the results it was given: the file it came from holds the run's trace hash.
  const kept = files[results.indexOf(merged)]?.file.result;
  const traceHash = kept?.kind === 'counterexample' ? kept.counterexample.traceHash : null;
  return ok({
    ...whole,
    result: { kind: 'counterexample', counterexample: merged.counterexample, traceHash },
  });
};
