import { replicaFailureProbability } from './replica-level.ts';
import { retryAmplification } from './retry-policy.ts';
import type { ServiceTraffic } from './service-traffic.ts';

/**
 * What one call edge looks like from the caller's side, for one set of inputs. Every number is a mean of the
 * fluid model; see docs/traffic-model.md, "Calls between services".
 */
export interface CallOutcome {
  /** Probability one attempt fails: 1 - (1 - aborted) x (1 - callee fails or answers after the timeout). */
  attemptFailure: number;
  /** Probability a call fails after its attempts, independent attempts: attemptFailure ^ attempts. */
  callFailure: number;
  /** Attempts per call: sum_{k<n} p^k, the client's own retry amplification. */
  attemptsPerCall: number;
  /** Share of attempts that reach the callee (an aborting fault or an open circuit stops the rest). */
  reachShare: number;
  /** Share of calls whose last attempt timed out (answered after the timeout, not rejected or aborted). */
  timeoutShare: number;
  /** Mean time of one call, ms: attempts x the mean time of one attempt (capped at the timeout). */
  callMs: number;
}

/** The inputs of one edge: the callee's answer as the caller's proxy sees it, and the edge's own state. */
export interface CallInputs {
  /** Probability one attempt reaching the callee fails or answers later than `timeoutMs - faultLatencyMs`. */
  calleeFailure: number;
  /** The part of calleeFailure that is lateness (the callee answered after the caller gave up). */
  calleeLate: number;
  /** The callee's mean response time, ms. */
  calleeLatencyMs: number;
  timeoutMs: number;
  attempts: number;
  faultErrorRate: number;
  faultLatencyMs: number;
  circuitOpen: boolean;
}

/** A record to fill with {@link composeCall}. */
export const createCallOutcome = (): CallOutcome => ({
  attemptFailure: 0,
  callFailure: 0,
  attemptsPerCall: 1,
  reachShare: 1,
  timeoutShare: 0,
  callMs: 0,
});

const clamp01 = (x: number): number => Math.min(Math.max(x, 0), 1);

/**
 * One edge's outcome. An open circuit fails each call at once: no attempt, no wait, no callee load (a
 * Hystrix short-circuit). Otherwise an attempt is aborted by a fault with its error rate before it reaches the
 * callee (Envoy's fault-injection abort), else fails as the callee makes it fail at the caller's timeout; a
 * call fails when all its attempts do, and each attempt costs at most the timeout (an aborted one nothing).
 */
export const composeCall = (out: CallOutcome, c: CallInputs): CallOutcome => {
  if (c.circuitOpen) {
    out.attemptFailure = 1;
    out.callFailure = 1;
    out.attemptsPerCall = 0;
    out.reachShare = 0;
    out.timeoutShare = 0;
    out.callMs = 0;
    return out;
  }
  const aborted = clamp01(c.faultErrorRate);
  const calleeFailure = clamp01(c.calleeFailure);
  const p = 1 - (1 - aborted) * (1 - calleeFailure);
  const attempts = Math.max(1, c.attempts);
  out.attemptFailure = p;
  out.callFailure = p ** attempts;
  out.attemptsPerCall = retryAmplification(p, attempts);
  out.reachShare = 1 - aborted;
  // The last attempt of a failed call failed; it timed out with the late share of that attempt's failures.
  out.timeoutShare = p > 0 ? out.callFailure * (((1 - aborted) * clamp01(c.calleeLate)) / p) : 0;
  const answeredMs = Math.min(c.calleeLatencyMs + c.faultLatencyMs, c.timeoutMs);
  out.callMs = out.attemptsPerCall * (1 - aborted) * answeredMs;
  return out;
};

/**
 * What a caller's calls make of one request it serves, over all its edges: `failure` = 1 - prod over edges
 * without a fallback (1 - callFailure)^perRequest (sequential calls, independent: the 10 % at fan-out
 * 2 gives 19 %); `degraded` = 1 - prod over edges with one of the same, the share of good answers that used
 * a fallback; `holdMs` = sum of perRequest x callMs, the time a worker waits on its calls.
 */
export interface CallerComposition {
  failure: number;
  degraded: number;
  holdMs: number;
}

/** One edge's part in a caller's composition. */
export interface EdgePart {
  readonly perRequest: number;
  readonly fallback: boolean;
  readonly outcome: CallOutcome;
}

/** Composes a caller's edges into `out`; returns `out`. */
export const composeCaller = (out: CallerComposition, edges: readonly EdgePart[]): CallerComposition => {
  let strictOk = 1;
  let cleanOk = 1;
  let hold = 0;
  for (const e of edges) {
    const ok = (1 - e.outcome.callFailure) ** e.perRequest;
    if (e.fallback) cleanOk *= ok;
    else strictOk *= ok;
    hold += e.perRequest * e.outcome.callMs;
  }
  out.failure = 1 - strictOk;
  out.degraded = 1 - cleanOk;
  out.holdMs = hold;
  return out;
};

/**
 * A callee's attempt failure probability at its current attempt rate for a caller whose timeout is
 * `timeoutMs` (a fault's added latency already taken off it): the share lost before any queue, plus each
 * replica's share times its failure at its part of the load, as serviceFailureProbability computes it for the
 * callee's own clients, at the caller's timeout instead of theirs, composed with the callee's own call failure.
 * A timeout at or below 0 fails every answer.
 */
export const calleeFailureAt = (st: ServiceTraffic, timeoutMs: number): number => {
  if (timeoutMs <= 0) return 1;
  let p = st.lostShare;
  const load = st.offeredRps;
  for (let i = 0; i < st.count; i++) {
    const slot = st.slots[i];
    if (slot === undefined || slot.share <= 0) continue;
    p += slot.answers
      ? slot.share *
        replicaFailureProbability(slot.queue, slot.share * load, timeoutMs, slot.scratch, slot.latencyFactor)
      : slot.share;
  }
  // What the callee's own calls fail (without a fallback) fails its answer too: failures propagate up.
  return 1 - (1 - clamp01(p)) * (1 - st.callFailure);
};

/**
 * A caller's workers: its `concurrency`, else Little's law on its capacity over its own service time plus its
 * idle call path (`capacityRps` is what a replica serves while its callees answer at their own service time).
 */
export const callerConcurrency = (
  capacityRps: number,
  latencyMs: number,
  idleHoldMs: number,
  concurrency: number | undefined,
): number => concurrency ?? Math.max(1, Math.ceil((capacityRps * (latencyMs + idleHoldMs)) / 1000 - 1e-9));

/** A worker's own time never falls below this share of the declared latency (a pool too small for its calls). */
const MIN_OWN_SHARE = 0.05;

/**
 * A caller worker's service time at `capacityRps` (its node's capacity factor applied), ms: its own work,
 * 1000 c / capacity less the idle call path at full capacity, scaled by the factor, plus the time its calls
 * hold it now. Thread-per-request: a worker waiting on a slow callee serves nobody, so the replica's service
 * rate c / serviceTime falls as the calls slow down (Little's law), the way a slow database exhausts an API's
 * pool.
 */
export const callerServiceTimeMs = (
  declaredCapacityRps: number,
  capacityRps: number,
  servers: number,
  latencyMs: number,
  idleHoldMs: number,
  holdMs: number,
): number => {
  const declared = (1000 * servers) / declaredCapacityRps;
  const own = Math.max(declared - idleHoldMs, MIN_OWN_SHARE * latencyMs);
  return (own * declaredCapacityRps) / capacityRps + holdMs;
};
