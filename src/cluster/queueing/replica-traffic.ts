import {
  createReplicaLevel,
  type ReplicaLevel,
  replicaFailureProbability,
  settleReplicaLevel,
} from './replica-level.ts';
import { nextReplicaEventMs, type ReplicaQueue, setReplicaArrival } from './replica-queue.ts';
import { createResponseTime, type ResponseTime } from './response-time.ts';
import { createRetryFixedPoint, type RetryFixedPoint, solveRetryFixedPoint } from './retry-fixed-point.ts';
import type { RetryPolicy } from './retry-policy.ts';

/**
 * One replica behind one client population: its queue, its clients' retry policy, and the records each event
 * fills in place. The unit the traffic sub-model settles at every event (a load change, a crossing, a fault);
 * a service with several replicas does the same with the load balancer's shares.
 */
export interface ReplicaTraffic {
  readonly queue: ReplicaQueue;
  readonly policy: RetryPolicy;
  /** Requests per second the clients originate (before retries). */
  originalRps: number;
  readonly level: ReplicaLevel;
  readonly fixedPoint: RetryFixedPoint;
  readonly scratch: ResponseTime;
}

/** A replica with clients, idle. */
export const createReplicaTraffic = (queue: ReplicaQueue, policy: RetryPolicy): ReplicaTraffic => ({
  queue,
  policy,
  originalRps: 0,
  level: createReplicaLevel(createResponseTime()),
  fixedPoint: createRetryFixedPoint(),
  scratch: createResponseTime(),
});

const failureAt = (r: ReplicaTraffic, offeredRps: number): number =>
  replicaFailureProbability(r.queue, offeredRps, r.policy.timeoutMs, r.scratch);

/**
 * Settles `r` at `atMs` with `originalRps` from the clients: advances the backlog, solves the retry fixed point
 * from the previous offered load, applies it, fills `r.level`. Returns when the next crossing is due (ms, maybe
 * +Infinity): the caller schedules one kernel event there and calls this again.
 */
export const settleReplicaTraffic = (r: ReplicaTraffic, atMs: number, originalRps: number): number => {
  setReplicaArrival(r.queue, atMs, r.queue.arrivalRps);
  r.originalRps = originalRps;
  const previous = r.queue.arrivalRps > 0 ? r.queue.arrivalRps : originalRps;
  solveRetryFixedPoint(r.fixedPoint, originalRps, r.policy, failureAt, r, previous);
  r.queue.arrivalRps = r.fixedPoint.offeredRps;
  settleReplicaLevel(r.level, r.queue, r.policy.timeoutMs);
  return nextReplicaEventMs(r.queue, r.policy.timeoutMs);
};
