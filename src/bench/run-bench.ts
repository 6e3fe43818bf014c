import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PACKAGE_VERSION } from '../base/package-version.ts';
import { inShard, type Shard } from '../base/shard.ts';
import { WorkerPool } from '../sweep/worker-pool.ts';
import { type BenchJob, type BenchJobResult, LEARNING_ARMS, type LearningArm } from './bench-job.ts';
import type { BenchPlan } from './bench-plan.ts';
import { runJobs } from './bench-pool.ts';
import { commandFigures, summarizeCommand } from './command-summary.ts';
import { type CommandTiming, timeCommand } from './command-timing.ts';
import { type LearningCurve, learningCurve, learningJobs } from './learning-curve.ts';
import { type RecoveryRow, recoveryRows } from './recovery-table.ts';
import type { RunDigest } from './run-digest.ts';
import { checkTargets, type TargetResult } from './targets.ts';
import { runThroughputCaseIsolated, type ThroughputResult } from './throughput.ts';
import { summarizeCase, type ThroughputReport, throughputReport } from './throughput-summary.ts';
import { measureWorldBuildIsolated, WORLD_BUILD_NODES } from './world-build.ts';

/** The format tag of `recovery.json`; bumped when a field changes meaning or disappears. */
export const BENCH_FORMAT = 'mapek-bench/1';

/** A section of the benchmark, for progress reports. */
export type BenchPhase = 'recovery' | 'learning' | 'throughput';

/** Progress within a phase. */
export interface BenchProgress {
  readonly phase: BenchPhase;
  readonly done: number;
  readonly total: number;
}

/** Everything `mapek bench` measured: what `recovery.json` holds and the markdown shows. */
export interface BenchReport {
  readonly format: typeof BENCH_FORMAT;
  readonly mapekVersion: string;
  /** The command that produced it, as typed. */
  readonly command: string;
  readonly quick: boolean;
  readonly policies: readonly string[];
  readonly scenarios: readonly {
    readonly name: string;
    readonly file: string;
    readonly durationMs: number;
    readonly singleFault: boolean;
    readonly seeds: readonly number[];
  }[];
  /** One row per scenario and policy, on identical seeds and fault schedules. */
  readonly recovery: readonly RecoveryRow[];
  readonly learning: readonly (LearningCurve & { readonly file: string })[];
  readonly throughput: ThroughputReport | null;
  readonly targets: readonly TargetResult[];
  /** Wall-clock facts: the only part that differs between two runs on the same machine. */
  readonly wall: {
    readonly totalMs: number;
    readonly recoveryMs: number;
    readonly learningMs: number;
    readonly throughputMs: number;
    readonly workers: number;
    readonly node: string;
    readonly cpus: number;
  };
}

/** Longest first, so the worker pool does not end waiting on one long run. */
const byCost = (plan: BenchPlan) => {
  const duration = new Map(plan.scenarios.map((s) => [s.file, s.durationMs]));
  return (a: BenchJob, b: BenchJob) => (duration.get(b.file) ?? 0) - (duration.get(a.file) ?? 0);
};

/** The recovery matrix's jobs, in the order they run (and their results are kept). */
export const recoveryJobs = (plan: BenchPlan): BenchJob[] =>
  plan.scenarios
    .flatMap((s) =>
      plan.policies.flatMap((policy) =>
        s.seeds.map(
          (seed): BenchJob => ({
            kind: 'recovery',
            file: s.file,
            policy,
            seed,
            ...(plan.modules?.[policy] === undefined ? {} : { module: plan.modules[policy] }),
          }),
        ),
      ),
    )
    .sort(byCost(plan));

/**
 * Runs throughput cases one at a time (two at once would time each other), interleaving their repeats so a
 * burst of load on the machine spreads over every case rather than skewing one.
 */
const measureThroughput = async (
  plan: BenchPlan,
  progress: (done: number, total: number) => void,
): Promise<ThroughputReport | null> => {
  if (plan.throughput.length === 0) return null;
  const runs = new Map<number, ThroughputResult[]>();
  const commands = plan.commands ?? [];
  const timed = new Map<number, CommandTiming[]>();
  const rounds = Math.max(...plan.throughput.map((t) => t.repeats), ...commands.map((c) => c.repeats));
  const total =
    plan.throughput.reduce((n, t) => n + t.repeats, 0) + commands.reduce((n, c) => n + c.repeats, 0) + 1;
  let done = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [i, t] of plan.throughput.entries()) {
      if (round >= t.repeats) continue;
      const r = await runThroughputCaseIsolated(t.case);
      runs.set(i, [...(runs.get(i) ?? []), r]);
      progress(++done, total);
    }
    for (const [i, c] of commands.entries()) {
      if (round >= c.repeats) continue;
      const r = await timeCommand(c.case);
      timed.set(i, [...(timed.get(i) ?? []), r]);
      progress(++done, total);
    }
  }
  const worldBuild = await measureWorldBuildIsolated(WORLD_BUILD_NODES);
  progress(++done, total);
  const figures =
    commands.length === 0
      ? undefined
      : commandFigures(commands.map((_, i) => summarizeCommand(timed.get(i) ?? [])));
  return throughputReport(
    plan.throughput.map((_, i) => summarizeCase(runs.get(i) ?? [])),
    figures,
    worldBuild,
  );
};

/** What the jobs of a benchmark gave, by job: everything a report is folded from. */
export interface BenchParts {
  /** By position in the recovery matrix (`recoveryJobs`); null for a job another shard ran. */
  readonly recovery: readonly (BenchJobResult | null)[];
  /** By position in the learning jobs; null for a job another shard ran. */
  readonly learning: readonly (BenchJobResult | null)[];
  readonly throughput: ThroughputReport | null;
  readonly wall: BenchReport['wall'];
}

/** One of `count` parts of a benchmark: every `count`th job of each phase from the `index`th (1-based). */
export type BenchShard = Shard;

/** The jobs of one shard, with their positions; every job without a shard. */
const shardOf = <T>(jobs: readonly T[], shard: BenchShard | undefined): { job: T; at: number }[] =>
  jobs.flatMap((job, at) => (inShard(shard, at) ? [{ job, at }] : []));

/** Runs jobs (on the pool) and puts each result at its job's position. */
const runAt = async (
  all: readonly BenchJob[],
  mine: readonly { job: BenchJob; at: number }[],
  plan: BenchPlan,
  pool: WorkerPool | undefined,
  onDone: () => void,
): Promise<(BenchJobResult | null)[]> => {
  const results = await runJobs(
    mine.map((m) => m.job),
    { workers: plan.workers, ...(pool === undefined ? {} : { pool }), onDone },
  );
  const placed: (BenchJobResult | null)[] = all.map(() => null);
  for (const [i, m] of mine.entries()) placed[m.at] = results[i] ?? null;
  return placed;
};

/**
 * Runs the jobs of the benchmark the plan lays out, or of one shard of it: the recovery matrix (every
 * scenario x policy x seed, on a pool of worker threads), the learning curves, then the throughput cases
 * alone on the machine (in the first shard only: they are timings, not shares of work).
 */
export const runBenchParts = async (
  plan: BenchPlan,
  onProgress: (p: BenchProgress) => void = () => {},
  shard?: BenchShard,
): Promise<BenchParts> => {
  const t0 = performance.now();
  // One pool for both phases: its workers start once and stay warm from the matrix into the curves.
  const pool = plan.workers > 1 ? WorkerPool.open(plan.workers) : undefined;
  try {
    const matrix = recoveryJobs(plan);
    const mine = shardOf(matrix, shard);
    let done = 0;
    const recovery = await runAt(matrix, mine, plan, pool, () =>
      onProgress({ phase: 'recovery', done: ++done, total: mine.length }),
    );
    const t1 = performance.now();
    const jobs = plan.learning.flatMap(learningJobs);
    const mineLearning = shardOf(jobs, shard);
    done = 0;
    const learning = await runAt(jobs, mineLearning, plan, pool, () =>
      onProgress({ phase: 'learning', done: ++done, total: mineLearning.length }),
    );
    const t2 = performance.now();
    // The throughput cases run alone on the machine: the pool's idle workers would only hold memory.
    await pool?.close();
    const throughput =
      shard === undefined || shard.index === 1
        ? await measureThroughput(plan, (d, total) => onProgress({ phase: 'throughput', done: d, total }))
        : null;
    const t3 = performance.now();
    return {
      recovery,
      learning,
      throughput,
      wall: {
        totalMs: Math.round(t3 - t0),
        recoveryMs: Math.round(t1 - t0),
        learningMs: Math.round(t2 - t1),
        throughputMs: Math.round(t3 - t2),
        workers: plan.workers,
        node: process.version,
        cpus: cpus().length,
      },
    };
  } finally {
    await pool?.close();
  }
};

/**
 * Folds every job's result into the report: tables, curves and target verdicts. Deterministic: the same
 * results (in job order) give the same report, wherever and in how many shards they ran.
 */
export const foldBench = (plan: BenchPlan, command: string, parts: BenchParts): BenchReport => {
  const digests = parts.recovery.flatMap((r) => (r?.kind === 'recovery' ? [r.digest] : []));
  const jobs = plan.learning.flatMap(learningJobs);
  const learning: (LearningCurve & { readonly file: string })[] = [];
  for (const lp of plan.learning) {
    const sequences = new Map<LearningArm, RunDigest[][]>(LEARNING_ARMS.map((arm) => [arm, []]));
    let name = '';
    parts.learning.forEach((r, i) => {
      const job = jobs[i];
      if (r?.kind !== 'learning' || job?.file !== lp.file) return;
      sequences.get(r.arm)?.push([...r.runs]);
      name = r.runs[0]?.scenario ?? name;
    });
    learning.push({ file: lp.file, ...learningCurve(name, lp, sequences) });
  }
  const { throughput } = parts;
  const recovery = recoveryRows(
    digests,
    plan.scenarios.map((s) => s.name),
    plan.policies,
  );
  return {
    format: BENCH_FORMAT,
    mapekVersion: PACKAGE_VERSION,
    command,
    quick: plan.quick,
    policies: plan.policies,
    scenarios: plan.scenarios.map((s) => ({
      name: s.name,
      file: s.file,
      durationMs: s.durationMs,
      singleFault: s.singleFault,
      seeds: s.seeds,
    })),
    recovery,
    learning,
    throughput,
    targets: checkTargets({
      recovery,
      singleFault: plan.scenarios.filter((s) => s.singleFault).map((s) => s.name),
      throughput,
    }),
    wall: parts.wall,
  };
};

/**
 * Runs the benchmark the plan lays out and folds it into its report. Everything but the wall block and
 * the throughput timings is deterministic.
 */
export const runBench = async (
  plan: BenchPlan,
  command: string,
  onProgress: (p: BenchProgress) => void = () => {},
): Promise<BenchReport> => foldBench(plan, command, await runBenchParts(plan, onProgress));
