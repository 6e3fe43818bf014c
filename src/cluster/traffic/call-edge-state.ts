import { type CallOutcome, createCallOutcome } from '../queueing/call-composition.ts';
import type { Owned } from '../runtime/ownership.ts';
import type { CallEdge, ServiceRuntime } from '../runtime/records.ts';
import type { CallSpec } from '../spec.ts';

/** The call graph writes every field of its edges. */
export type GraphEdge = Owned<CallEdge, keyof CallEdge>;

/** What the graph keeps per edge beside the record everyone reads. */
export interface EdgeState {
  readonly edge: GraphEdge;
  readonly outcome: CallOutcome;
  /** The attempt rate the callee last took into its load, and the outcome the caller last composed. */
  seenAttemptRps: number;
  seenCallFailure: number;
  seenCallMs: number;
  /**
   * The relaxation step of the edge's call time and failure: 1 (take the callee's new value whole) until an
   * update reverses the previous one's direction, then halved each reversal, back to 1 once settled.
   */
  step: number;
  lastDeltaMs: number;
  /** The outcome at the callee's state, before relaxation. */
  readonly target: CallOutcome;
}

/**
 * Tolerances of the propagation: a neighbour is recomputed only when what it reads from a service moved by
 * more than this (relative for rates and times, absolute for probabilities).
 */
export const CALL_GRAPH_TOLERANCE = { load: 1e-6, latency: 1e-2, probability: 1e-4 } as const;
/** The smallest relaxation step (after six reversals). */
const MIN_STEP = 1 / 64;

/** Whether `a` and `b` differ by more than `tolerance`, relative to the larger. */
export const movedBy = (a: number, b: number, tolerance: number): boolean =>
  Math.abs(a - b) > tolerance * Math.max(Math.abs(a), Math.abs(b), 1e-9);
/** A call time moved beyond the latency tolerance (near saturation a callee's latency is steep in its load). */
export const moved = (a: number, b: number): boolean => movedBy(a, b, CALL_GRAPH_TOLERANCE.latency);

/** A new edge at `nowMs`: no load, no fault, its circuit closed, its call time the callee's own service time. */
export const createEdgeState = (
  spec: CallSpec,
  caller: ServiceRuntime,
  callee: ServiceRuntime,
  nowMs: number,
): EdgeState => ({
  edge: {
    spec,
    caller,
    callee,
    faultErrorRate: 0,
    faultLatencyMs: 0,
    circuitOpen: false,
    callRps: 0,
    attemptRps: 0,
    attemptFailure: 0,
    callFailure: 0,
    timeoutShare: 0,
    callMs: callee.spec.latencyMs,
    countedAtMs: nowMs,
    callTotal: 0,
    failedTotal: 0,
    timeoutTotal: 0,
    latencyTotal: 0,
  },
  outcome: createCallOutcome(),
  seenAttemptRps: 0,
  seenCallFailure: 0,
  seenCallMs: 0,
  step: 1,
  lastDeltaMs: 0,
  target: createCallOutcome(),
});

/** Integrates an edge's rates since its last change. */
export const foldEdge = (edge: GraphEdge, nowMs: number): void => {
  const dt = (nowMs - edge.countedAtMs) / 1_000;
  if (dt > 0) {
    const calls = edge.callRps * dt;
    edge.callTotal += calls;
    edge.failedTotal += calls * edge.callFailure;
    edge.timeoutTotal += calls * edge.timeoutShare;
    edge.latencyTotal += calls * edge.callMs;
  }
  edge.countedAtMs = nowMs;
};

/**
 * Moves the edge's outcome towards its target by the edge's step; true while it has not reached the target
 * (the callee is then recomputed again so the relaxation goes on). A caller's call time and its callee's
 * load feed back into each other with no delay in the fluid model (a caller draining a backlog floods its
 * callee, whose latency then holds the caller's workers longer, which slows the drain): taken whole, the
 * iteration can flip between two states for ever. Halving the step on each reversal (a bisection of the
 * feedback loop) settles it; the fixed point is the same.
 */
export const relax = (e: EdgeState): boolean => {
  const t = e.target;
  const o = e.outcome;
  const delta = t.callMs - o.callMs;
  if (delta * e.lastDeltaMs < 0) e.step = Math.max(MIN_STEP, e.step / 2);
  e.lastDeltaMs = delta;
  const w = e.step;
  if (w === 1) {
    copyOutcome(o, t);
    return false;
  }
  o.callMs += w * delta;
  o.callFailure += w * (t.callFailure - o.callFailure);
  o.attemptFailure += w * (t.attemptFailure - o.attemptFailure);
  o.timeoutShare += w * (t.timeoutShare - o.timeoutShare);
  o.attemptsPerCall += w * (t.attemptsPerCall - o.attemptsPerCall);
  o.reachShare = t.reachShare;
  const settled =
    !moved(o.callMs, t.callMs) && Math.abs(o.callFailure - t.callFailure) <= CALL_GRAPH_TOLERANCE.probability;
  if (settled) {
    // Exactly the target once settled: the relaxation leaves no residue in a steady state.
    e.step = 1;
    copyOutcome(o, t);
    return false;
  }
  return true;
};

const copyOutcome = (out: CallOutcome, from: CallOutcome): void => {
  out.attemptFailure = from.attemptFailure;
  out.callFailure = from.callFailure;
  out.attemptsPerCall = from.attemptsPerCall;
  out.reachShare = from.reachShare;
  out.timeoutShare = from.timeoutShare;
  out.callMs = from.callMs;
};
