import { backlogDelayMs, type ReplicaQueue, serviceRateRps } from './replica-queue.ts';
import {
  type ResponseTime,
  responseSurvival,
  setMmcResponseTime,
  stretchResponseTime,
} from './response-time.ts';

/**
 * What a replica does with its traffic at a settled state, for clients with a timeout: how much it serves,
 * rejects, and completes after the client gave up. A timed-out request still costs the replica its work (the
 * server does not know the client left), so goodput = served x (1 - timeout fraction) < served: the goodput
 * collapse of an overloaded server that keeps working on requests nobody waits for.
 */
export interface ReplicaLevel {
  /** lambda offered to the replica, requests per second. */
  offeredRps: number;
  /** Requests per second the workers complete. */
  servedRps: number;
  /** Requests per second turned away by a full backlog. */
  rejectedRps: number;
  /** Completed requests per second whose client had already timed out. */
  timedOutRps: number;
  /** Completed requests per second that reached a waiting client. */
  goodputRps: number;
  /** Probability that one attempt fails for its client (rejected, or answered after its timeout). */
  failureProbability: number;
  /** The response-time distribution of admitted requests (M/M/c plus the backlog's delay). */
  readonly response: ResponseTime;
}

/** A level record to fill with {@link settleReplicaLevel}. */
export const createReplicaLevel = (response: ResponseTime): ReplicaLevel => ({
  offeredRps: 0,
  servedRps: 0,
  rejectedRps: 0,
  timedOutRps: 0,
  goodputRps: 0,
  failureProbability: 0,
  response,
});

/**
 * Probability that one attempt fails when `arrivalRps` is offered to `q` at its settled backlog: the rejected
 * share r = (lambda - mu) / lambda while the backlog is full, plus the admitted share's timeouts,
 * p = r + (1 - r) P(T > timeout), T being the M/M/c response time delayed by backlog / mu. `scratch` receives
 * that response time, its stochastic part stretched by the node's `latencyFactor` (stretchResponseTime).
 * Non-decreasing in `arrivalRps` at a fixed backlog, which the retry fixed point relies on.
 */
export const replicaFailureProbability = (
  q: ReplicaQueue,
  arrivalRps: number,
  timeoutMs: number,
  scratch: ResponseTime,
  latencyFactor = 1,
): number => {
  const mu = serviceRateRps(q);
  const rejected = q.backlog >= q.queueLimit && arrivalRps > mu ? (arrivalRps - mu) / arrivalRps : 0;
  const admittedRps = arrivalRps * (1 - rejected);
  // The fluid backlog carries the mean-field queue; the M/M/c part adds the fluctuations of the admitted
  // arrivals around it (capped at 99 % utilisation while the backlog grows).
  setMmcResponseTime(scratch, q.servers, admittedRps, q.serviceTimeMs, backlogDelayMs(q));
  stretchResponseTime(scratch, latencyFactor);
  const late = timeoutMs === Number.POSITIVE_INFINITY ? 0 : responseSurvival(scratch, timeoutMs);
  return rejected + (1 - rejected) * late;
};

/**
 * Fills `out` with the level of `q` at its settled state for clients with `timeoutMs`, on a node whose latency
 * factor is `latencyFactor`; returns `out`.
 */
export const settleReplicaLevel = (
  out: ReplicaLevel,
  q: ReplicaQueue,
  timeoutMs: number,
  latencyFactor = 1,
): ReplicaLevel => {
  const mu = serviceRateRps(q);
  const offered = q.arrivalRps;
  const p = replicaFailureProbability(q, offered, timeoutMs, out.response, latencyFactor);
  const served = q.backlog > 0 || offered > mu ? mu : offered;
  const rejected = q.backlog >= q.queueLimit && offered > mu ? offered - mu : 0;
  const late = timeoutMs === Number.POSITIVE_INFINITY ? 0 : responseSurvival(out.response, timeoutMs);
  out.offeredRps = offered;
  out.servedRps = served;
  out.rejectedRps = rejected;
  out.timedOutRps = served * late;
  out.goodputRps = served - out.timedOutRps;
  out.failureProbability = p;
  return out;
};
