import type { Scenario } from '../scenario/schema/scenario.ts';
import { type JobProgress, runSweepJob, type SweepJob, type SweepRun } from './sweep-job.ts';

/**
 * What runs a sweep's jobs. The default runs them here, one at a time; a pool of workers implements the
 * same interface (jobs and runs are plain data, so they cross a thread or process boundary as they are).
 * Whatever runs them, the runs are the same: each job is deterministic and the sweep delivers in job order.
 */
export interface SweepExecutor {
  /** How many jobs it may have in flight at once. */
  readonly capacity: number;
  /** Runs one job; a throw inside the run is an outcome (`threw`), never a rejection. */
  run(scenario: Scenario, job: SweepJob): Promise<SweepRun>;
}

/**
 * Runs every job in this process, one at a time; `now` is the wall clock the runs' `wallMs` is read from,
 * and `onProgress` is told how far each run has got in simulated time (a pool of workers tells nothing).
 */
export const inProcessExecutor = (now: () => number = () => 0, onProgress?: JobProgress): SweepExecutor => ({
  capacity: 1,
  run: (scenario, job) => Promise.resolve(runSweepJob(scenario, job, now, onProgress)),
});
