import type { ControllerModuleRef } from '../controllers/controller-module.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import type { SweepExecutor } from './executor.ts';
import type { SweepJob, SweepRun } from './sweep-job.ts';
import type { SweepTask } from './sweep-worker.ts';
import type { WorkerPool } from './worker-pool.ts';

const WORKER = new URL('./sweep-worker.ts', import.meta.url);

const lost = (job: SweepJob, why: string): SweepRun => ({
  index: job.index,
  seed: job.seed,
  wallMs: 0,
  outcome: { kind: 'threw', message: `seed ${job.seed} was lost with its worker: ${why}` },
});

/** Options of {@link poolExecutor}. */
export interface PoolExecutorOptions {
  /** Controller modules the jobs may name (loaded in this process first), for each worker to import. */
  readonly modules?: readonly ControllerModuleRef[];
  /** Aborts every job not yet finished (Ctrl-C): their promises reject with an `AbortError`. */
  readonly signal?: AbortSignal;
}

/**
 * Runs a sweep's jobs on a pool of worker threads. It keeps two jobs in flight per worker, so a worker
 * never waits while this thread turns the last run into a journal; the sweep puts the runs back in order.
 */
export const poolExecutor = (pool: WorkerPool, options: PoolExecutorOptions = {}): SweepExecutor => ({
  capacity: pool.size * 2,
  run: async (scenario: Scenario, job: SweepJob): Promise<SweepRun> => {
    const task: SweepTask = { scenario, jobs: [job], modules: options.modules ?? [] };
    try {
      const [run] = await pool.run<SweepTask, SweepRun[]>(WORKER, task, options.signal);
      if (run !== undefined) return run;
      return lost(job, 'the worker gave no run');
    } catch (e) {
      // A worker ended (Ctrl-C, out of memory) or a run could not be sent: an outcome, like a throw inside it.
      return lost(job, e instanceof Error ? e.message : String(e));
    }
  },
});
