import { err, ok, type Result } from '../base/result.ts';
import type { BenchJobResult } from './bench-job.ts';
import type { BenchPlan } from './bench-plan.ts';
import { learningJobs } from './learning-curve.ts';
import { type BenchParts, type BenchShard, recoveryJobs } from './run-bench.ts';

/** The format tag of a bench shard file. */
export const BENCH_SHARD_FORMAT = 'mapek-bench-shard/1';

/** What `bench --shard i/n` writes: its share of the jobs' results, for `mapek merge --bench`. */
export interface BenchShardFile {
  readonly format: typeof BENCH_SHARD_FORMAT;
  readonly shard: BenchShard;
  /** The command as `bench` records it (without `--shard`, the same in every shard). */
  readonly command: string;
  /** The whole benchmark's plan: every shard has the same (its worker count aside). */
  readonly plan: BenchPlan;
  /** This shard's results: [position in the phase's jobs, result]. */
  readonly recovery: readonly (readonly [number, BenchJobResult])[];
  readonly learning: readonly (readonly [number, BenchJobResult])[];
  readonly throughput: BenchParts['throughput'];
  readonly wall: BenchParts['wall'];
}

/** The file name of a shard in a bench's `--out` directory. */
export const benchShardName = (shard: BenchShard): string =>
  `bench-shard-${shard.index}-of-${shard.count}.json`;

const placed = (results: readonly (BenchJobResult | null)[]): [number, BenchJobResult][] =>
  results.flatMap((r, i): [number, BenchJobResult][] => (r === null ? [] : [[i, r]]));

/** A shard's results as its file holds them. */
export const benchShardFile = (
  plan: BenchPlan,
  command: string,
  shard: BenchShard,
  parts: BenchParts,
): BenchShardFile => ({
  format: BENCH_SHARD_FORMAT,
  shard,
  command,
  plan,
  recovery: placed(parts.recovery),
  learning: placed(parts.learning),
  throughput: parts.throughput,
  wall: parts.wall,
});

/** Shard files that do not make one whole benchmark. */
export interface BenchMergeError {
  readonly kind: 'bench-merge';
  readonly message: string;
}

const planKey = (plan: BenchPlan): string => JSON.stringify({ ...plan, workers: 0 });

/**
 * Puts the shards of one benchmark back together: the plan, the command and every job's result at its
 * position, as one unsharded `bench` would have them (its report then folds to the same tables). The wall
 * block adds the shards' times (the work done, not the time waited) and keeps the first shard's machine.
 */
export const mergeBenchShards = (
  files: readonly { readonly path: string; readonly file: BenchShardFile }[],
): Result<{ plan: BenchPlan; command: string; parts: BenchParts }, BenchMergeError> => {
  const fail = (message: string) => err<BenchMergeError>({ kind: 'bench-merge', message });
  const [first] = files;
  if (first === undefined) return fail('no bench shard to merge');
  const { count } = first.file.shard;
  const seen = new Map<number, string>();
  for (const { path, file } of files) {
    if (file.format !== BENCH_SHARD_FORMAT) return fail(`${path} is not a bench shard file`);
    if (planKey(file.plan) !== planKey(first.file.plan) || file.command !== first.file.command)
      return fail(`${path} is a shard of another benchmark than ${first.path}`);
    if (file.shard.count !== count)
      return fail(`${path} is a shard of ${file.shard.count}, ${first.path} of ${count}`);
    const twice = seen.get(file.shard.index);
    if (twice !== undefined) return fail(`${twice} and ${path} are both shard ${file.shard.index}/${count}`);
    seen.set(file.shard.index, path);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) return fail(`shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
  const byIndex = [...files].sort((a, b) => a.file.shard.index - b.file.shard.index);
  const gather = (pick: (f: BenchShardFile) => BenchShardFile['recovery']) => {
    const out: (BenchJobResult | null)[] = [];
    for (const { file } of byIndex) for (const [at, r] of pick(file)) out[at] = r;
    return Array.from(out, (r) => r ?? null);
  };
  const recovery = gather((f) => f.recovery);
  const learning = gather((f) => f.learning);
  const plan = first.file.plan;
  if (recovery.length !== recoveryJobs(plan).length || recovery.includes(null))
    return fail('the shards lack some recovery runs: was one of them cut short?');
  if (learning.length !== plan.learning.flatMap(learningJobs).length || learning.includes(null))
    return fail('the shards lack some learning sequences: was one of them cut short?');
  const sum = (k: 'totalMs' | 'recoveryMs' | 'learningMs' | 'throughputMs') =>
    files.reduce((t, f) => t + f.file.wall[k], 0);
  const wall = {
    ...first.file.wall,
    totalMs: sum('totalMs'),
    recoveryMs: sum('recoveryMs'),
    learningMs: sum('learningMs'),
    throughputMs: sum('throughputMs'),
  };
  const throughput = byIndex.find((f) => f.file.throughput !== null)?.file.throughput ?? null;
  return ok({
    plan: first.file.plan,
    command: first.file.command,
    parts: { recovery, learning, throughput, wall },
  });
};
