import { err, ok, type Result } from '../base/result.ts';
import type { Shard } from '../base/shard.ts';
import type { Journal } from '../report/journal.ts';
import {
  type ReadResults,
  type ResultLine,
  readResults,
  runKey,
  type SweepIdentity,
} from './results-file.ts';
import { parseShard } from './shard.ts';

/** Shards that do not make one whole sweep. */
export interface MergeError {
  readonly kind: 'merge-unreadable' | 'merge-mismatch' | 'merge-incomplete';
  readonly message: string;
}

/** What the shards of one sweep add up to: the unsharded sweep's identity and its runs, in its order. */
export interface MergedSweep {
  readonly identity: SweepIdentity;
  readonly runs: readonly ResultLine[];
  /** One scenario at one seed: `run` writes its journal as an object rather than an array. */
  readonly single: boolean;
}

const fail = (kind: MergeError['kind'], message: string) => err<MergeError>({ kind, message });

/** The seeds a sweep's identity names: `1..5`, `7`, or null (each scenario's own: one run each). */
const seedsOf = (identity: SweepIdentity): number[] | null => {
  if (identity.seeds === null) return null;
  const m = /^(\d+)\.\.(\d+)$/.exec(identity.seeds);
  if (m === null) return [Number(identity.seeds)];
  const from = Number(m[1]);
  return Array.from({ length: Number(m[2]) - from + 1 }, (_, i) => from + i);
};

/**
 * Checks that `files` are every shard of one split once (a file without a shard is the one shard of one): the
 * same number of shards, no shard twice, none missing. The path of each shard, by its index.
 */
export const shardSet = (
  files: readonly { readonly path: string; readonly shard: Shard | undefined }[],
): Result<ReadonlyMap<number, string>, MergeError> => {
  const [first] = files;
  const count = first?.shard?.count ?? 1;
  const byIndex = new Map<number, string>();
  for (const f of files) {
    if ((f.shard?.count ?? 1) !== count)
      return fail(
        'merge-mismatch',
        `${f.path} is a shard of ${f.shard?.count ?? 1}, ${first?.path} of ${count}`,
      );
    const index = f.shard?.index ?? 1;
    const twice = byIndex.get(index);
    if (twice !== undefined)
      return fail('merge-mismatch', `${twice} and ${f.path} are both shard ${index}/${count}`);
    byIndex.set(index, f.path);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    return fail(
      'merge-incomplete',
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`,
    );
  return ok(byIndex);
};

/**
 * Combines the results files of a sharded sweep (`run --shard i/n --results ...`, every shard once) into the
 * sweep one unsharded command would have run: the same runs in the same order. Refused, with the reason,
 * when the files belong to different sweeps, a shard is missing or given twice, or a shard has not
 * finished (it names the runs it lacks: `--resume` finishes them).
 */
export const mergeShards = (paths: readonly string[]): Result<MergedSweep, MergeError> => {
  const files: { path: string; read: ReadResults; shard: Shard | undefined }[] = [];
  for (const path of paths) {
    const read = readResults(path);
    if (!read.ok) return fail('merge-unreadable', read.error.message);
    const text = read.value.identity.shard;
    files.push({ path, read: read.value, shard: text === null ? undefined : parseShard(text) });
  }
  const [first] = files;
  if (first === undefined) return fail('merge-unreadable', 'no results file to merge');
  const identity: SweepIdentity = { ...first.read.identity, shard: null };
  const count = first.shard?.count ?? 1;
  for (const f of files) {
    const same = JSON.stringify({ ...f.read.identity, shard: null }) === JSON.stringify(identity);
    if (!same) return fail('merge-mismatch', `${f.path} holds another sweep than ${first.path}`);
  }
  const set = shardSet(files);
  if (!set.ok) return set;
  const byIndex = set.value;
  const found = new Map<string, { line: ResultLine; path: string }>();
  for (const f of files)
    for (const line of f.read.runs) found.set(runKey(line.file, line.seed), { line, path: f.path });
  const seeds = seedsOf(identity);
  const runs: ResultLine[] = [];
  let position = 0;
  for (const { file } of identity.scenarios) {
    // Without --seeds each scenario ran once, at its own seed: whichever seed its shard recorded.
    const own = [...found.values()].filter((x) => x.line.file === file).map((x) => x.line.seed);
    for (const seed of seeds ?? own.slice(0, 1)) {
      const shard = (position % count) + 1;
      position++;
      const hit = found.get(runKey(file, seed));
      if (hit === undefined) {
        return fail(
          'merge-incomplete',
          `${byIndex.get(shard) ?? `shard ${shard}`} (shard ${shard}/${count}) lacks ${file} at seed ${seed}: finish it with the same \`mapek run ... --shard ${shard}/${count}\` and --resume`,
        );
      }
      runs.push(hit.line);
    }
  }
  return ok({
    identity,
    runs,
    single: identity.scenarios.length === 1 && runs.length === 1 && seeds !== null && seeds.length === 1,
  });
};

/** The journals of a merged sweep, in its order. */
export const mergedJournals = (merged: MergedSweep): Journal[] => merged.runs.map((r) => r.journal);
