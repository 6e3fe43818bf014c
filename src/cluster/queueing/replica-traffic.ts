import {
  createReplicaLevel,
  type ReplicaLevel,
  replicaFailureProbability,
  settleReplicaLevel,
} from './replica-level.ts';
import {
  nextBacklogCrossingMs,
  type ReplicaQueue,
  serviceRateRps,
  setReplicaArrival,
} from './replica-queue.ts';
import { createResponseTime, type ResponseTime } from './response-time.ts';
import { createRetryFixedPoint, type RetryFixedPoint, solveRetryFixedPoint } from './retry-fixed-point.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { createTimeoutLevels, nextLevelCrossingMs, setTimeoutLevels } from './timeout-bands.ts';

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
  /** Backlog levels whose crossings are events (timeout-bands.ts), refreshed at every settle. */
  readonly timeoutLevels: Float64Array;
}

/** A replica with clients, idle. */
export const createReplicaTraffic = (queue: ReplicaQueue, policy: RetryPolicy): ReplicaTraffic => ({
  queue,
  policy,
  originalRps: 0,
  level: createReplicaLevel(createResponseTime()),
  fixedPoint: createRetryFixedPoint(),
  scratch: createResponseTime(),
  timeoutLevels: createTimeoutLevels(),
});

const failureAt = (r: ReplicaTraffic, offeredRps: number): number =>
  replicaFailureProbability(r.queue, offeredRps, r.policy.timeoutMs, r.scratch);

/**
 * Settles `r` at `atMs` with `originalRps` from the clients: advances the backlog, solves the retry fixed point
 * from the previous offered load, applies it, fills `r.level`. Returns when the next crossing is due (ms, maybe
 * +Infinity): the backlog empties, fills, or crosses a late-share band (timeout-bands.ts); the caller schedules
 * one kernel event there and calls this again. A replica with nothing queued below its service rate has no
 * crossing ahead and skips the bands.
 */
export const settleReplicaTraffic = (r: ReplicaTraffic, atMs: number, originalRps: number): number => {
  const q = r.queue;
  setReplicaArrival(q, atMs, q.arrivalRps);
  r.originalRps = originalRps;
  const previous = q.arrivalRps > 0 ? q.arrivalRps : originalRps;
  solveRetryFixedPoint(r.fixedPoint, originalRps, r.policy, failureAt, r, previous);
  q.arrivalRps = r.fixedPoint.offeredRps;
  settleReplicaLevel(r.level, q, r.policy.timeoutMs);
  const empty = nextBacklogCrossingMs(q, 0);
  const full = nextBacklogCrossingMs(q, q.queueLimit);
  if (q.backlog <= 0 && q.arrivalRps <= serviceRateRps(q)) return Math.min(empty, full);
  if (r.policy.timeoutMs === Number.POSITIVE_INFINITY) return Math.min(empty, full);
  setTimeoutLevels(r.timeoutLevels, q, r.policy.timeoutMs, r.scratch);
  return Math.min(empty, full, nextLevelCrossingMs(q, r.timeoutLevels));
};
