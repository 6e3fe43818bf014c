import type { MapekCycleResult } from '../mapek/types.ts';

/** How a cycle ended, in one word. */
export type CycleStatus = 'quiet' | 'watching' | 'acted' | 'unattended' | 'timeout' | 'failed';

/** One MAPE-K cycle: when it started, the sim time of each phase (as the loop measured it), what it did. */
export interface TimelineCycle {
  readonly cycle: number;
  readonly startedAtMs: number;
  /** Sim ms in monitor, analyze, plan and execute; a phase that did not run took 0. */
  readonly monitorMs: number;
  readonly analyzeMs: number;
  readonly planMs: number;
  readonly executeMs: number;
  readonly totalMs: number;
  readonly status: CycleStatus;
  readonly failures: number;
  /** Strategies planned in this cycle, as `<failure key> <strategy>`. */
  readonly planned: readonly string[];
  readonly dispatched: number;
  /** Why the cycle was cut short (the error kind), if it was. */
  readonly error?: string;
}

const statusOf = (r: MapekCycleResult): CycleStatus => {
  if (r.error !== undefined) return r.error.kind === 'CycleTimeout' ? 'timeout' : 'failed';
  if (r.analysis === undefined) return 'quiet';
  if (!r.recoveredSuccessfully) return 'unattended';
  return r.plans.length > 0 || (r.execution?.dispatched ?? 0) > 0 ? 'acted' : 'watching';
};

/** A cycle result as the timeline keeps it: plain numbers and names. */
export const timelineCycle = (r: MapekCycleResult): TimelineCycle => ({
  cycle: r.cycle,
  startedAtMs: r.startedAtMs,
  monitorMs: r.detectionTimeMs,
  analyzeMs: r.analysisTimeMs,
  planMs: r.planningTimeMs,
  executeMs: r.executionTimeMs,
  totalMs: r.totalTimeMs,
  status: statusOf(r),
  failures: r.analysis?.failures.length ?? 0,
  planned: r.plans.map((p) => `${p.failure.key} ${p.strategy}`),
  dispatched: r.execution?.dispatched ?? 0,
  ...(r.error === undefined ? {} : { error: r.error.kind }),
});
