import type { Mutable } from '../cluster/runtime/ownership.ts';
import type { MapekError } from './errors.ts';
import { type CycleRecord, type KnowledgeView, needsPlan } from './knowledge-base.ts';
import type { PhaseId } from './loop-events.ts';
import type { MonitorSample } from './monitor.ts';
import type {
  AnalysisResult,
  DetectedFailure,
  ExecutionResult,
  MapekCycleResult,
  RecoveryPlan,
} from './types.ts';

/** No failures: shared, so a quiet cycle allocates no list. */
const NO_FAILURES: readonly DetectedFailure[] = [];

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
 * A cycle in progress, whoever runs it (the monitor's beat for a quiet cycle, the statechart for the others):
 * the phase it is in and since when, and what its phases have produced so far.
 */
export interface CycleProgress {
  readonly cycle: number;
  readonly startedAtMs: number;
  /** The phase running now, and since when. */
  readonly phase: PhaseId;
  readonly phaseStartedAtMs: number;
  readonly detectionTimeMs: number;
  readonly analysisTimeMs: number;
  readonly planningTimeMs: number;
  readonly sample: MonitorSample | undefined;
  readonly analysis: AnalysisResult | undefined;
  readonly plans: readonly RecoveryPlan[];
  readonly escalated: readonly string[];
}

/**
 * A cycle numbered `cycle`, starting at `atMs`, in its monitor phase, with nothing produced yet but `sample`
 * if given.
 */
export const freshCycle = (cycle: number, atMs: number, sample?: MonitorSample): CycleProgress => ({
  cycle,
  startedAtMs: atMs,
  phase: 'monitor',
  phaseStartedAtMs: atMs,
  detectionTimeMs: 0,
  analysisTimeMs: 0,
  planningTimeMs: 0,
  sample,
  analysis: undefined,
  plans: [],
  escalated: [],
});

/** The time spent in `phase` by a cycle ending at `nowMs` that has spent `before` in it if it is past it. */
const spentIn = (c: CycleProgress, phase: PhaseId, before: number, nowMs: number): number =>
  c.phase === phase ? nowMs - c.phaseStartedAtMs : before;

/** The failures a cycle acted on: those it planned for, and those whose recovery it concluded. */
const handledIn = (c: CycleProgress, execution: ExecutionResult | undefined): readonly DetectedFailure[] => {
  if (c.plans.length === 0 && execution === undefined) return NO_FAILURES;
  const handled = new Map<string, DetectedFailure>();
  for (const p of c.plans) handled.set(p.failure.key, p.failure);
  for (const o of [...(execution?.verified ?? []), ...(execution?.failed ?? [])]) {
    const f = c.analysis?.failures.find((x) => x.key === o.key);
    if (f !== undefined) handled.set(f.key, f);
  }
  return [...handled.values()];
};

/** Whether some failure this cycle saw is left with nobody working on it. */
const leftUnattended = (c: CycleProgress, knowledge: KnowledgeView): boolean =>
  (c.analysis?.failures ?? NO_FAILURES).some((f) => {
    const status = knowledge.failures.get(f.key)?.status;
    return needsPlan(status) || status === 'abandoned';
  });

/**
 * The result of the cycle `c` describes, ending at `nowMs`. Built field by field, in the order the fields
 * have always had, rather than from spreads: every cycle makes one, and a spread copies through a slow path.
 */
export const cycleResult = (
  c: CycleProgress,
  nowMs: number,
  knowledge: KnowledgeView,
  execution?: ExecutionResult,
  error?: MapekError,
): MapekCycleResult => {
  const detectionTimeMs = spentIn(c, 'monitor', c.detectionTimeMs, nowMs);
  const analysisTimeMs = spentIn(c, 'analyze', c.analysisTimeMs, nowMs);
  const planningTimeMs = spentIn(c, 'plan', c.planningTimeMs, nowMs);
  const executionTimeMs = spentIn(c, 'execute', 0, nowMs);
  const result: Mutable<MapekCycleResult> = {
    cycle: c.cycle,
    startedAtMs: c.startedAtMs,
    detectionTimeMs,
    analysisTimeMs,
    planningTimeMs,
    executionTimeMs,
    totalTimeMs: detectionTimeMs + analysisTimeMs + planningTimeMs + executionTimeMs,
    recoveredSuccessfully:
      error === undefined && (execution?.failed.length ?? 0) === 0 && !leftUnattended(c, knowledge),
    maxDegradationPercent: c.sample?.state.metrics.degradationPercent ?? 0,
    failuresHandled: handledIn(c, execution),
    plans: c.plans,
  };
  if (c.sample !== undefined) result.state = c.sample.state;
  if (c.analysis !== undefined) result.analysis = c.analysis;
  if (execution !== undefined) result.execution = execution;
  if (error !== undefined) result.error = error;
  return result;
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
