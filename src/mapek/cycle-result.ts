import type { CycleRecord } from './knowledge-base.ts';
import type { MonitorSample } from './monitor.ts';
import type { DetectedFailure, MapekCycleResult } from './types.ts';

/** No failures: shared, so a quiet cycle allocates no list. */
export const NO_FAILURES: readonly DetectedFailure[] = [];

/**
 * When the cycle after one that started at `startedAtMs` starts: one interval after it, or the next interval
 * boundary after an overrun; or at `recheckAtMs` when that is sooner (a diagnosis deferred until its evidence
 * is in), but never in the past.
 */
export const nextCycleStart = (
  startedAtMs: number,
  nowMs: number,
  intervalMs: number,
  recheckAtMs?: number,
): number => {
  const due = startedAtMs + intervalMs;
  const regular =
    due >= nowMs ? due : startedAtMs + Math.ceil((nowMs - startedAtMs) / intervalMs) * intervalMs;
  return recheckAtMs !== undefined && recheckAtMs < regular ? Math.max(nowMs, recheckAtMs) : regular;
};

/**
 * The result of a quiet cycle: its monitor phase saw nothing to analyze and nothing is in hand, so it ends
 * after monitoring, with nothing handled and the recovery question trivially answered.
 */
export const quietCycleResult = (
  cycle: number,
  startedAtMs: number,
  nowMs: number,
  sample: MonitorSample,
): MapekCycleResult => {
  const detectionTimeMs = nowMs - startedAtMs;
  return {
    cycle,
    startedAtMs,
    detectionTimeMs,
    analysisTimeMs: 0,
    planningTimeMs: 0,
    executionTimeMs: 0,
    totalTimeMs: detectionTimeMs,
    recoveredSuccessfully: true,
    maxDegradationPercent: sample.state.metrics.degradationPercent,
    failuresHandled: NO_FAILURES,
    plans: [],
    state: sample.state,
  };
};

/** A finished cycle as knowledge's history keeps it. */
export const cycleRecordOf = (result: MapekCycleResult, symptoms: number): CycleRecord => ({
  cycle: result.cycle,
  atMs: result.startedAtMs,
  totalTimeMs: result.totalTimeMs,
  symptoms,
  failures: result.analysis?.failures.length ?? 0,
  actions: result.execution?.dispatched ?? 0,
  timedOut: result.error?.kind === 'CycleTimeout',
});
