import type { SweepExecutor } from './executor.ts';
import { type PoolExecutorOptions, poolExecutor } from './pool-executor.ts';
import { runSweepJob } from './sweep-job.ts';
import type { WorkerPool } from './worker-pool.ts';

/** Options of {@link adaptiveExecutor}. */
export interface AdaptiveOptions extends PoolExecutorOptions {
  /** The sweep's jobs in all (to estimate what is left). */
  readonly jobs: number;
  /** The pool's workers. */
  readonly workers: number;
  /** Opens the pool (once) when the sweep decides it pays. */
  readonly openPool: () => WorkerPool;
  /**
   * Hand the rest to the pool once the work left, estimated from the runs so far, is more than this many
   * wall milliseconds (0: use the pool from the first job). Starting workers costs about 0.5 s compiled
   * (each imports the simulator) and more from the sources, so short sweeps are quicker without them.
   */
  readonly handOffMs: number;
  /** The wall clock the estimate reads. */
  readonly now: () => number;
}

/**
 * Runs a sweep's first jobs in this process, timing them, and hands the rest to a worker pool as soon as
 * what is left would take longer than starting workers costs: a sweep of a few short runs never pays for
 * threads, a long one uses every core after its first run. Where a job runs changes its wall time only.
 */
export const adaptiveExecutor = (options: AdaptiveOptions): SweepExecutor => {
  let pooled: SweepExecutor | null = null;
  let ran = 0;
  let spentMs = 0;
  const pays = (): boolean => {
    if (options.handOffMs <= 0) return true;
    if (ran === 0) return false;
    return (spentMs / ran) * (options.jobs - ran) > options.handOffMs;
  };
  return {
    // Two in flight per worker (see poolExecutor); a job kept here runs as soon as it is started.
    capacity: Math.max(1, options.workers) * 2,
    run: (scenario, job) => {
      if (pooled === null && pays()) pooled = poolExecutor(options.openPool(), options);
      if (pooled !== null) return pooled.run(scenario, job);
      const run = runSweepJob(scenario, job, options.now);
      ran++;
      spentMs += run.wallMs;
      return Promise.resolve(run);
    },
  };
};
