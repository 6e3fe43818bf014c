import {
  createReplicaLevel,
  type ReplicaLevel,
  replicaFailureProbability,
  settleReplicaLevel,
} from './replica-level.ts';
import {
  advanceReplicaQueue,
  backlogAt,
  backlogSlopeRps,
  createReplicaQueue,
  nextBacklogCrossingMs,
  type ReplicaQueue,
  serviceRateRps,
} from './replica-queue.ts';
import { createResponseMixture, type ResponseMixture, resetResponseMixture } from './response-mixture.ts';
import { createResponseTime, type ResponseTime } from './response-time.ts';
import { createRetryFixedPoint, type RetryFixedPoint, solveRetryFixedPoint } from './retry-fixed-point.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryLagMs } from './retry-policy.ts';
import { createTimeoutLevels, nextLevelCrossingMs, setTimeoutLevels } from './timeout-bands.ts';

/**
 * One replica's queue inside a service, with what the service's settle needs to know about it: the share of
 * the service's attempts the load balancer sends it, whether it can answer at all, and its node's latency
 * factor. Plain mutable data, owned by the traffic sub-model.
 */
export interface QueueSlot {
  readonly queue: ReplicaQueue;
  readonly level: ReplicaLevel;
  readonly scratch: ResponseTime;
  readonly timeoutLevels: Float64Array;
  /** Share of the service's attempts routed here, in [0, 1]. */
  share: number;
  /**
   * Requests per second routed here outside the load balancer's shares and outside the retry fixed point: the
   * writes a stateful service's primary takes (clients do not retry non-idempotent writes by default).
   */
  extraRps: number;
  /** False while the replica cannot answer (dead, cut off, a full disk): every attempt routed here fails. */
  answers: boolean;
  /** The node's latency factor times the replica's own: response times scale by it (a slow node, a bad build). */
  latencyFactor: number;
  /** Share of what the replica serves that its build answers with an error (a bad deploy); 0 normally. */
  errorRate: number;
  /** Set by the settle: this replica's next crossing, and the mixture part (slot index) that stands for it. */
  crossingMs: number;
  part: number;
  /**
   * What `timeoutLevels` were computed for: they depend on the arrival rate and the queue's parameters, not on
   * the backlog, so the crossings of one fill or drain reuse them (NaN: never computed).
   */
  levelsArrivalRps: number;
  levelsServiceTimeMs: number;
  levelsServers: number;
  levelsQueueLimit: number;
  levelsTimeoutMs: number;
  levelsLatencyFactor: number;
}

/** A slot for a replica, empty and idle. */
export const createQueueSlot = (): QueueSlot => ({
  queue: createReplicaQueue(1, 1),
  level: createReplicaLevel(createResponseTime()),
  scratch: createResponseTime(),
  timeoutLevels: createTimeoutLevels(),
  share: 0,
  extraRps: 0,
  answers: false,
  latencyFactor: 1,
  errorRate: 0,
  crossingMs: Number.POSITIVE_INFINITY,
  part: -1,
  levelsArrivalRps: Number.NaN,
  levelsServiceTimeMs: Number.NaN,
  levelsServers: Number.NaN,
  levelsQueueLimit: Number.NaN,
  levelsTimeoutMs: Number.NaN,
  levelsLatencyFactor: Number.NaN,
});

/**
 * A service's clients and queues: the retry fixed point is solved over the whole load balancer, since a
 * client retries wherever the balancer sends it. `slots` are the replicas' slots in the service's order (the
 * first `count`, bound by the caller at every settle: a replica's queue stays with the replica); `lostShare` is the share of attempts that fail before any queue (no replica in rotation).
 */
export interface ServiceTraffic {
  readonly slots: QueueSlot[];
  count: number;
  policy: RetryPolicy;
  lostShare: number;
  /** Attempts per second (originals and retries) at the last settle. */
  offeredRps: number;
  /** The originals and policy of the last settle, and its next crossing: a settle of the same inputs is skipped. */
  settledOriginalRps: number;
  settledPolicy: RetryPolicy | null;
  settledNextMs: number;
  /**
   * What the caller settled beside the queues (the writes, the primary they address, whether it takes them): a
   * change there is a change too.
   */
  settledWrites: number;
  settledWriter: unknown;
  settledWritable: boolean;
  /** Whether some queue held a backlog or was overloaded at the last settle (its state then moves with time). */
  settledBusy: boolean;
  /**
   * Probability that an attempt the queues answered in time still fails on the service's calls (no
   * fallback): the clients' retries see it as they see every other failure. 0 for a service that calls nothing.
   */
  callFailure: number;
  /** While the attempts already in flight are held after the fixed point fell: until when (NaN: not held). */
  retryHoldUntilMs: number;
  /** The policy and users' load of the last solve, against which a fall is judged. */
  holdPolicy: RetryPolicy | null;
  holdOriginalRps: number;
  readonly fixedPoint: RetryFixedPoint;
  /** The served-weighted response-time mixture of the replicas, latency factors applied. */
  readonly mixture: ResponseMixture;
}

/** A service with no replica yet, under the default client policy. */
export const createServiceTraffic = (): ServiceTraffic => ({
  slots: [],
  count: 0,
  policy: DEFAULT_RETRY_POLICY,
  lostShare: 0,
  offeredRps: 0,
  settledOriginalRps: Number.NaN,
  settledPolicy: null,
  settledNextMs: Number.POSITIVE_INFINITY,
  settledWrites: Number.NaN,
  settledWriter: null,
  settledWritable: false,
  settledBusy: false,
  callFailure: 0,
  retryHoldUntilMs: Number.NaN,
  holdPolicy: null,
  holdOriginalRps: Number.NaN,
  fixedPoint: createRetryFixedPoint(),
  mixture: createResponseMixture(),
});

/** Moves every replica's backlog to `atMs` at the rates in force: call before changing any parameter. */
export const advanceServiceTraffic = (st: ServiceTraffic, atMs: number): void => {
  for (let i = 0; i < st.count; i++) {
    const slot = st.slots[i];
    if (slot !== undefined) advanceReplicaQueue(slot.queue, atMs);
  }
};

/**
 * Attempt failure probability of the service at `offeredRps` attempts per second: the share lost before any
 * queue, plus each replica's share times its own failure probability at its part of the load (rejected by a
 * full queue, or answered after the client's timeout, which a node's latency factor brings closer), 1 for a
 * replica that cannot answer. Non-decreasing in the load, as each replica's is.
 */
export const serviceFailureProbability = (st: ServiceTraffic, offeredRps: number): number => {
  let p = st.lostShare;
  const timeoutMs = st.policy.timeoutMs;
  for (let i = 0; i < st.count; i++) {
    const slot = st.slots[i];
    if (slot === undefined || slot.share <= 0) continue;
    if (!slot.answers) {
      p += slot.share;
      continue;
    }
    const q = replicaFailureProbability(
      slot.queue,
      slot.share * offeredRps + slot.extraRps,
      timeoutMs,
      slot.scratch,
      slot.latencyFactor,
    );
    // An error from the build fails the attempt as surely as a rejection: the clients retry both.
    p += slot.share * (slot.errorRate > 0 ? q + (1 - q) * slot.errorRate : q);
  }
  const c = st.callFailure;
  return c > 0 ? 1 - (1 - Math.min(p, 1)) * (1 - c) : Math.min(p, 1);
};

/**
 * Settles the service at its queues' current time with `originalRps` from its clients: solves the retry fixed
 * point from the previous attempt rate (the branch continuous with the past: hysteresis), routes the attempts,
 * fills every replica's level and the service's response mixture (weighted by what each replica serves).
 * Returns when the next crossing of any replica is due (ms, maybe +Infinity): a backlog empties, fills, or
 * crosses a late-share band. A replica that cannot answer holds no backlog.
 */
export const settleServiceTraffic = (st: ServiceTraffic, originalRps: number, nowMs = 0): number => {
  const fp = st.fixedPoint;
  let offered = originalRps;
  if (st.policy.maxAttempts <= 1) {
    // No retries: the offered load is the originals, whatever fails (the common case, and the hot path).
    fp.offeredRps = originalRps;
    fp.failureProbability = Number.NaN;
    fp.iterations = 0;
    fp.converged = true;
    st.retryHoldUntilMs = Number.NaN;
  } else {
    const previous = st.offeredRps > 0 ? st.offeredRps : originalRps;
    solveRetryFixedPoint(fp, originalRps, st.policy, serviceFailureProbability, st, previous);
    offered = holdRetries(st, fp.offeredRps, originalRps, nowMs);
  }
  st.holdPolicy = st.policy;
  st.offeredRps = offered;
  resetResponseMixture(st.mixture, st.count);
  let next = Number.POSITIVE_INFINITY;
  let busy = false;
  for (let i = 0; i < st.count; i++) {
    const slot = st.slots[i];
    if (slot === undefined) continue;
    const q = slot.queue;
    const level = slot.level;
    q.arrivalRps = slot.share * offered + slot.extraRps;
    if (!slot.answers) {
      q.backlog = 0;
      level.offeredRps = q.arrivalRps;
      level.servedRps = 0;
      level.rejectedRps = 0;
      level.timedOutRps = 0;
      level.goodputRps = 0;
      level.failureProbability = q.arrivalRps > 0 ? 1 : 0;
      slot.part = -1;
      slot.crossingMs = Number.POSITIVE_INFINITY;
      continue;
    }
    // Replicas in the same state (the usual case: healthy peers with equal shares) share one computation.
    const twin = twinBefore(st, i);
    if (twin === null) {
      settleReplicaLevel(level, q, st.policy.timeoutMs, slot.latencyFactor);
      slot.crossingMs = nextSlotCrossingMs(slot, st.policy.timeoutMs);
    } else {
      copyLevel(level, twin.level);
      slot.crossingMs = twin.crossingMs;
    }
    next = Math.min(next, slot.crossingMs);
    if (q.backlog > 0 || q.arrivalRps > serviceRateRps(q)) busy = true;
    // The mixture keeps one part per distinct state, weighted by what its replicas serve together.
    const part = twin === null ? i : twin.part;
    slot.part = part;
    if (part === i) copyInto(st.mixture.parts[i], level.response);
    st.mixture.weights[part] = (st.mixture.weights[part] ?? 0) + level.servedRps;
  }
  st.settledBusy = busy;
  return Number.isNaN(st.retryHoldUntilMs) ? next : Math.min(next, st.retryHoldUntilMs);
};

/**
 * The retries of attempts that already failed keep coming for one timeout plus one mean backoff after the
 * failures stop (`retryLagMs`): clients only learn of a timeout when it expires, then sleep. So when the fixed
 * point falls (a queue flushed by a restart, capacity added, the spike over) while the clients' policy and
 * users' load are as they were, the attempts already in flight are held for that lag, and only then does the
 * lower fixed point apply, solved again from the held load. This is what keeps a storm going when every
 * queue is emptied at once: the held retries refill the queues past the timeout within the lag. A change of
 * policy (a budget) or of the users' load applies at once.
 */
const holdRetries = (st: ServiceTraffic, solvedRps: number, originalRps: number, nowMs: number): number => {
  const current = st.offeredRps;
  const falling = solvedRps < current * (1 - 1e-9) && st.holdPolicy === st.policy;
  const sameUsers = st.holdOriginalRps === originalRps;
  st.holdOriginalRps = originalRps;
  if (!falling || !sameUsers) {
    st.retryHoldUntilMs = Number.NaN;
    return solvedRps;
  }
  if (Number.isNaN(st.retryHoldUntilMs)) st.retryHoldUntilMs = nowMs + retryLagMs(st.policy);
  if (nowMs < st.retryHoldUntilMs) return current;
  st.retryHoldUntilMs = Number.NaN;
  return solvedRps;
};

const TWIN_LOOKBACK = 4;

/** An earlier answering replica of the same service whose queue is in exactly the same state, if a recent one is. */
const twinBefore = (st: ServiceTraffic, i: number): QueueSlot | null => {
  const slot = st.slots[i];
  if (slot === undefined) return null;
  const q = slot.queue;
  let seen = 0;
  for (let j = i - 1; j >= 0 && seen < TWIN_LOOKBACK; j--) {
    const o = st.slots[j];
    if (o === undefined || !o.answers || o.part !== j) continue;
    seen++;
    const p = o.queue;
    if (
      p.arrivalRps === q.arrivalRps &&
      p.backlog === q.backlog &&
      p.servers === q.servers &&
      p.serviceTimeMs === q.serviceTimeMs &&
      p.queueLimit === q.queueLimit &&
      o.latencyFactor === slot.latencyFactor
    )
      return o;
  }
  return null;
};

const copyLevel = (out: ReplicaLevel, from: ReplicaLevel): void => {
  out.offeredRps = from.offeredRps;
  out.servedRps = from.servedRps;
  out.rejectedRps = from.rejectedRps;
  out.timedOutRps = from.timedOutRps;
  out.goodputRps = from.goodputRps;
  out.failureProbability = from.failureProbability;
  copyInto(out.response, from.response);
};

const copyInto = (out: ResponseTime | undefined, r: ResponseTime): void => {
  if (out === undefined) return;
  out.serviceRatePerMs = r.serviceRatePerMs;
  out.waitProbability = r.waitProbability;
  out.waitRatePerMs = r.waitRatePerMs;
  out.delayMs = r.delayMs;
};

/**
 * The next rung of the delay ladder the backlog reaches on its slope, in ms: the backlog levels c x 2^k
 * (k >= 0), at which the FIFO delay backlog / mu doubles from one worker's mean service time. Between two
 * events the response time is held at its value at the event, so the ladder bounds that error to a factor of
 * 2 of the delay while a queue fills or drains with no timeout band in the way, for log2(queueLimit / c)
 * events a fill at most.
 */
export const nextDelayRungMs = (q: ReplicaQueue): number => {
  const slope = backlogSlopeRps(q);
  if (slope === 0) return Number.POSITIVE_INFINITY;
  const base = q.servers;
  let rung = base;
  if (slope > 0) {
    while (rung <= q.backlog) rung *= 2;
    return rung < q.queueLimit ? nextBacklogCrossingMs(q, rung) : Number.POSITIVE_INFINITY;
  }
  if (q.backlog <= base) return Number.POSITIVE_INFINITY;
  while (rung * 2 < q.backlog) rung *= 2;
  return nextBacklogCrossingMs(q, rung);
};

const nextSlotCrossingMs = (slot: QueueSlot, timeoutMs: number): number => {
  const q = slot.queue;
  const empty = nextBacklogCrossingMs(q, 0);
  const full = nextBacklogCrossingMs(q, q.queueLimit);
  // Nothing queued below the service rate: nothing ahead but a rise in load, which is an event of its own.
  if (q.backlog <= 0 && q.arrivalRps <= serviceRateRps(q)) return Math.min(empty, full);
  const rung = nextDelayRungMs(q);
  if (timeoutMs === Number.POSITIVE_INFINITY) return Math.min(empty, full, rung);
  if (
    slot.levelsArrivalRps !== q.arrivalRps ||
    slot.levelsServiceTimeMs !== q.serviceTimeMs ||
    slot.levelsServers !== q.servers ||
    slot.levelsQueueLimit !== q.queueLimit ||
    slot.levelsTimeoutMs !== timeoutMs ||
    slot.levelsLatencyFactor !== slot.latencyFactor
  ) {
    setTimeoutLevels(slot.timeoutLevels, q, timeoutMs, slot.scratch, slot.latencyFactor);
    slot.levelsArrivalRps = q.arrivalRps;
    slot.levelsServiceTimeMs = q.serviceTimeMs;
    slot.levelsServers = q.servers;
    slot.levelsQueueLimit = q.queueLimit;
    slot.levelsTimeoutMs = timeoutMs;
    slot.levelsLatencyFactor = slot.latencyFactor;
  }
  return Math.min(empty, full, rung, nextLevelCrossingMs(q, slot.timeoutLevels));
};

/** A replica queue's backlog at `atMs` (between events it is linear in time), in requests. */
export const slotBacklogAt = (slot: QueueSlot, atMs: number): number =>
  slot.answers ? backlogAt(slot.queue, atMs) : 0;
