/**
 * A worker thread's side of a pooled sweep: runs a batch of jobs of one scenario and hands their runs back.
 * Loaded by `WorkerPool` (never imported by the rest of the package); a throw inside a run is an outcome,
 * so a task never rejects for a bad seed.
 */
import { performance } from 'node:perf_hooks';
import { type ControllerModuleRef, loadControllerModule } from '../controllers/controller-module.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import { runSweepJob, type SweepJob, type SweepRun } from './sweep-job.ts';

/** One task: some jobs of a scenario, and the controller modules they may name. */
export interface SweepTask {
  readonly scenario: Scenario;
  readonly jobs: readonly SweepJob[];
  /** Controller modules the main thread loaded: a worker has its own module table and imports them too. */
  readonly modules: readonly ControllerModuleRef[];
}

export default async (task: SweepTask): Promise<SweepRun[]> => {
  for (const ref of task.modules) {
    // Loaded once per worker; the main thread has checked the module already, so a failure here is a bug.
    const loaded = await loadControllerModule(ref);
    if (!loaded.ok) throw new Error(loaded.error.message);
  }
  return task.jobs.map((job) => runSweepJob(task.scenario, job, () => performance.now()));
};
