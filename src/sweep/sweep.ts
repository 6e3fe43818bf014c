import type { PolicyName } from '../controllers/controller-spec.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import { inProcessExecutor, type SweepExecutor } from './executor.ts';
import type { JobProgress, SweepJob, SweepOutcome, SweepRun } from './sweep-job.ts';

/** How knowledge flows through a sweep (MAPE-K only). */
export interface SweepKnowledge {
  /** What the first run (or, without `carry`, every run) starts from. */
  readonly initial?: unknown;
  /**
   * Each run starts from what the previous one learned, as a knowledge file would carry it (a JSON round
   * trip). The runs then depend on each other and go one at a time, whatever the executor's capacity.
   */
  readonly carry: boolean;
}

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** Overrides the scenario's `controller.policy` for every run. */
  readonly policy?: PolicyName;
  /** Keep every trace line of every run (for `--trace`). */
  readonly keepTrace?: boolean;
  readonly knowledge?: SweepKnowledge;
  /** Record every run's timeline (for a journal, `--html` or `--otel`). */
  readonly timeline?: boolean;
  /** Record the loop's actors of every run as inspection events (for `--inspect`). */
  readonly inspect?: boolean;
  /** What runs the jobs; default: this process, one at a time. */
  readonly executor?: SweepExecutor;
  /** The wall clock for the runs' `wallMs` (default: none, 0), used only when no executor is given. */
  readonly now?: () => number;
  /** Told how far each run has got in simulated time, used only when no executor is given (in process). */
  readonly onProgress?: JobProgress;
}

/** The jobs of a sweep, as plain data: one per seed, in order. */
export const sweepJobs = (seeds: readonly number[], options: SweepOptions = {}): SweepJob[] =>
  seeds.map((seed, index) => ({
    index,
    seed,
    keepTrace: options.keepTrace ?? false,
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.knowledge?.initial === undefined ? {} : { knowledge: options.knowledge.initial }),
    ...(options.timeline === true ? { timeline: true } : {}),
    ...(options.inspect === true ? { inspect: true } : {}),
  }));

/** What a finished run hands the next one when knowledge is carried. */
const learned = (run: SweepRun, before: unknown): unknown => {
  if (run.outcome.kind !== 'ran') return before;
  const k = run.outcome.result.knowledge;
  return k === null || k === undefined ? before : JSON.parse(JSON.stringify(k));
};

/**
 * Runs a scenario at each seed and delivers the runs in seed order, as each is ready: `for await (const run
 * of sweep(...))`. Stopping early (`break`) starts no further job. The runs are identical whatever executes
 * them: in this process, or on a pool of workers that finishes them out of order.
 */
export async function* sweep(
  scenario: Scenario,
  seeds: readonly number[],
  options: SweepOptions = {},
): AsyncGenerator<SweepRun, void, undefined> {
  const executor = options.executor ?? inProcessExecutor(options.now, options.onProgress);
  const jobs = sweepJobs(seeds, options);
  if (options.knowledge?.carry === true) {
    let knowledge = options.knowledge.initial;
    for (const job of jobs) {
      const run = await executor.run(scenario, {
        ...job,
        ...(knowledge === undefined ? {} : { knowledge }),
      });
      knowledge = learned(run, knowledge);
      yield run;
    }
    return;
  }
  yield* inOrder(jobs, (job) => executor.run(scenario, job), Math.max(1, executor.capacity));
}

/**
 * Keeps up to `capacity` runs started and not yet delivered, and yields them in job order: a run that
 * finishes early waits for the ones before it. A job starts only when the consumer has taken a run (or
 * at the start), so a consumer that stops early (`break`) starts nothing more, and an in-process sweep
 * (capacity 1) runs each seed just when it is asked for.
 */
async function* inOrder(
  jobs: readonly SweepJob[],
  start: (job: SweepJob) => Promise<SweepRun>,
  capacity: number,
): AsyncGenerator<SweepRun, void, undefined> {
  const started: Promise<SweepRun>[] = [];
  for (let delivered = 0; delivered < jobs.length; delivered++) {
    while (started.length < jobs.length && started.length - delivered < capacity) {
      const job = jobs[started.length];
      if (job === undefined) break;
      started.push(start(job));
    }
    const run = started[delivered];
    if (run === undefined) return;
    yield await run;
  }
}

/** A sweep of one seed: its run's outcome (replaying a journal's run, for one). */
export const sweepOne = async (
  scenario: Scenario,
  seed: number,
  options: SweepOptions = {},
): Promise<SweepOutcome> => {
  for await (const run of sweep(scenario, [seed], options)) return run.outcome;
  // A sweep of one seed always yields one run; this only satisfies the type.
  return { kind: 'threw', message: 'the sweep of one seed gave no run' };
};
