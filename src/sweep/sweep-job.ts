import type { PolicyName } from '../controllers/controller-spec.ts';
import { type RunError, type RunProgress, type RunResult, runScenario } from '../scenario/runner.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';

/**
 * One run of a sweep as plain, serialisable data: what a worker needs besides the scenario. A job is
 * deterministic: the same scenario and job give the same run wherever it runs.
 */
export interface SweepJob {
  /** Position in the sweep; runs are delivered in this order. */
  readonly index: number;
  readonly seed: number;
  /** Overrides the scenario's `controller.policy`. */
  readonly policy?: PolicyName;
  /** Keep every trace line (for `--trace`); the hash is computed either way. */
  readonly keepTrace: boolean;
  /** Knowledge the controller starts from (MAPE-K only), as a knowledge file holds it. */
  readonly knowledge?: unknown;
  /** Record the run's timeline (for a journal, `--html` or `--otel`). */
  readonly timeline?: boolean;
  /** Record the loop's actors as inspection events (for `--inspect`). */
  readonly inspect?: boolean;
  /** Check the safety invariants online (see `RunOptions.checkInvariants`). */
  readonly checkInvariants?: boolean;
}

/** What a job gave: a judged run, a run that could not start, or a simulation that threw (a bug). */
export type SweepOutcome =
  | { readonly kind: 'ran'; readonly result: RunResult }
  | { readonly kind: 'refused'; readonly error: RunError }
  | { readonly kind: 'threw'; readonly message: string; readonly stack?: string };

/** One finished job of a sweep. */
export interface SweepRun {
  readonly index: number;
  readonly seed: number;
  /** Wall-clock time the run took, for reports only (never part of a result). */
  readonly wallMs: number;
  readonly outcome: SweepOutcome;
}

/** How far a job has got in simulated time (see `RunOptions.onProgress`); not part of the job's data. */
export type JobProgress = (job: SweepJob, simMs: number, endMs: number) => void;

/**
 * Runs one job in this process: the single place a sweep (and so `run`, `bench`, `explore` and `replay`)
 * turns a scenario and a seed into a run. A throw is caught and kept as data, so one bad seed never takes
 * the rest of a sweep, or a worker, down with it. `onProgress` follows the run (it changes nothing in it).
 */
export const runSweepJob = (
  scenario: Scenario,
  job: SweepJob,
  now: () => number = () => 0,
  onProgress?: JobProgress,
): SweepRun => {
  const progress: RunProgress | undefined =
    onProgress === undefined ? undefined : (simMs, endMs) => onProgress(job, simMs, endMs);
  const t0 = now();
  let outcome: SweepOutcome;
  try {
    const r = runScenario(scenario, {
      seed: job.seed,
      keepTrace: job.keepTrace,
      ...(job.policy === undefined ? {} : { policy: job.policy }),
      ...(job.knowledge === undefined ? {} : { knowledge: job.knowledge }),
      ...(job.timeline === true ? { timeline: true } : {}),
      ...(job.inspect === true ? { inspect: true } : {}),
      ...(job.checkInvariants === true ? { checkInvariants: true } : {}),
      ...(progress === undefined ? {} : { onProgress: progress }),
    });
    outcome = r.ok ? { kind: 'ran', result: r.value } : { kind: 'refused', error: r.error };
  } catch (e) {
    outcome =
      e instanceof Error
        ? { kind: 'threw', message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) }
        : { kind: 'threw', message: String(e) };
  }
  return { index: job.index, seed: job.seed, wallMs: now() - t0, outcome };
};

/** The error a `threw` outcome stands for, rebuilt with its message and stack (for reports and rethrows). */
export const thrownError = (outcome: { readonly message: string; readonly stack?: string }): Error => {
  const e = new Error(outcome.message);
  if (outcome.stack !== undefined) e.stack = outcome.stack;
  return e;
};
