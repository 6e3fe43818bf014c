/**
 * One replica as a multi-server queue with a bounded FIFO backlog, in the fluid limit: `servers` workers of
 * mean service time `serviceTimeMs` serve mu = servers / serviceTime requests per second; arrivals above mu
 * queue in the backlog, which grows at lambda - mu up to `queueLimit` (beyond which the excess is rejected) and
 * drains at mu - lambda once the load falls (Kleinrock vol. 2, 1976, ch. 2, the fluid approximation of a queue
 * in heavy traffic). Between two events the backlog is linear in time, so the only instants the kernel needs to
 * hear about are its crossings: empty, full, and the level past which a queued request waits longer than its
 * client's timeout. The stochastic queueing on top of the fluid is the M/M/c part (response-time.ts).
 * Plain mutable data: the functions below read it at any time and mutate it only in {@link advanceReplicaQueue}
 * and {@link setReplicaArrival}.
 */
export interface ReplicaQueue {
  /** c: workers serving in parallel (the replica's concurrency). */
  servers: number;
  /** Mean service time of one request on one worker, in ms (slow-node factors already applied). */
  serviceTimeMs: number;
  /** Largest backlog the replica holds, in requests; arrivals beyond it are rejected. */
  queueLimit: number;
  /** lambda: requests per second offered to this replica (retries included). */
  arrivalRps: number;
  /** Requests waiting for a worker at `sinceMs`. */
  backlog: number;
  /** Sim time at which `backlog` was last settled, in ms. */
  sinceMs: number;
}

/** Default backlog bound: Envoy's default circuit-breaker max_pending_requests (1024 per upstream cluster). */
export const DEFAULT_QUEUE_LIMIT = 1024;

/**
 * Default concurrency by Little's law: the workers a replica needs to serve `capacityRps` at `serviceTimeMs`,
 * L = lambda W, rounded up, at least 1 (a 400 rps, 20 ms replica has 8 workers).
 */
export const defaultConcurrency = (capacityRps: number, serviceTimeMs: number): number =>
  Math.max(1, Math.ceil((capacityRps * serviceTimeMs) / 1000 - 1e-9));

/**
 * Mean service time of one worker when `concurrency` workers serve `capacityRps` together, in ms:
 * concurrency / capacity. Keeps the replica's stated capacity exact when capacity x latency is not a whole
 * number of workers (410 rps at 20 ms: 9 workers of 21.95 ms, still 410 rps).
 */
export const workerServiceTimeMs = (capacityRps: number, concurrency: number): number =>
  (1000 * concurrency) / capacityRps;

/** A replica queue, empty and idle at `atMs`. */
export const createReplicaQueue = (
  servers: number,
  serviceTimeMs: number,
  queueLimit = DEFAULT_QUEUE_LIMIT,
  atMs = 0,
): ReplicaQueue => ({ servers, serviceTimeMs, queueLimit, arrivalRps: 0, backlog: 0, sinceMs: atMs });

/** mu: the replica's service rate with every worker busy, requests per second. */
export const serviceRateRps = (q: ReplicaQueue): number => (1000 * q.servers) / q.serviceTimeMs;

/** d backlog / dt at the settled state, requests per second: 0 when pinned at empty or full. */
export const backlogSlopeRps = (q: ReplicaQueue): number => {
  const net = q.arrivalRps - serviceRateRps(q);
  if (net > 0 && q.backlog >= q.queueLimit) return 0;
  if (net < 0 && q.backlog <= 0) return 0;
  return net;
};

/** Backlog at `atMs` (>= sinceMs), in requests: linear, clipped to [0, queueLimit]. */
export const backlogAt = (q: ReplicaQueue, atMs: number): number => {
  const b = q.backlog + ((q.arrivalRps - serviceRateRps(q)) * (atMs - q.sinceMs)) / 1000;
  return Math.min(Math.max(b, 0), q.queueLimit);
};

/** Backlogs this close to empty or full are there: what is left is rounding in the crossing's instant. */
const SNAP_REQUESTS = 1e-9;

/**
 * Moves the settled state to `atMs`; call before changing any parameter so the past keeps its slope. A backlog
 * within rounding of empty or full is snapped there, since crossings land on whole milliseconds.
 */
export const advanceReplicaQueue = (q: ReplicaQueue, atMs: number): void => {
  if (atMs <= q.sinceMs) return;
  const b = backlogAt(q, atMs);
  q.backlog = b < SNAP_REQUESTS ? 0 : q.queueLimit - b < SNAP_REQUESTS ? q.queueLimit : b;
  q.sinceMs = atMs;
};

/** Settles the queue at `atMs`, then sets its offered load. */
export const setReplicaArrival = (q: ReplicaQueue, atMs: number, arrivalRps: number): void => {
  advanceReplicaQueue(q, atMs);
  q.arrivalRps = Math.max(arrivalRps, 0);
};

/**
 * When the backlog next reaches `level` (requests), in ms of sim time; +Infinity if it never does on the
 * current slope (or is already there). Used for empty (0), full (queueLimit) and timeout crossings.
 */
export const nextBacklogCrossingMs = (q: ReplicaQueue, level: number): number => {
  const slope = backlogSlopeRps(q);
  const gap = level - q.backlog;
  if (slope === 0 || gap === 0 || gap > 0 !== slope > 0) return Number.POSITIVE_INFINITY;
  return q.sinceMs + (1000 * gap) / slope;
};

/**
 * The backlog past which a newly queued request waits longer than `timeoutMs` before a worker takes it: FIFO
 * order means it waits backlog / mu, so the level is mu x timeout.
 */
export const timeoutBacklog = (q: ReplicaQueue, timeoutMs: number): number =>
  (serviceRateRps(q) * timeoutMs) / 1000;

/**
 * The next instant the replica's regime changes, in ms: the backlog empties, fills, or crosses the timeout level
 * (either way). +Infinity when the state is steady. Pass `timeoutMs` = +Infinity for clients without a timeout.
 */
export const nextReplicaEventMs = (q: ReplicaQueue, timeoutMs: number): number => {
  const empty = nextBacklogCrossingMs(q, 0);
  const full = nextBacklogCrossingMs(q, q.queueLimit);
  const level = timeoutBacklog(q, timeoutMs);
  const timeout = level < q.queueLimit ? nextBacklogCrossingMs(q, level) : Number.POSITIVE_INFINITY;
  return Math.min(empty, full, timeout);
};

/** Requests per second the workers complete at the settled state: mu while anything is queued, else min(lambda, mu). */
export const servedRps = (q: ReplicaQueue): number => {
  const mu = serviceRateRps(q);
  return q.backlog > 0 || q.arrivalRps > mu ? mu : q.arrivalRps;
};

/** Requests per second turned away at the settled state: lambda - mu while the backlog is full, else 0. */
export const rejectedRps = (q: ReplicaQueue): number => {
  const excess = q.arrivalRps - serviceRateRps(q);
  return excess > 0 && q.backlog >= q.queueLimit ? excess : 0;
};

/** Workers busy at the settled state: all of them while anything is queued, else lambda x service time. */
export const busyWorkers = (q: ReplicaQueue): number =>
  q.backlog > 0 ? q.servers : Math.min(q.servers, (q.arrivalRps * q.serviceTimeMs) / 1000);

/** The transient queueing delay, in ms: how long the backlog takes to reach a worker, backlog / mu. */
export const backlogDelayMs = (q: ReplicaQueue): number => (1000 * q.backlog) / serviceRateRps(q);

/** Time to empty the backlog at the current load, in ms: backlog / (mu - lambda); +Infinity if it does not drain. */
export const drainTimeMs = (q: ReplicaQueue): number => {
  if (q.backlog <= 0) return 0;
  const net = serviceRateRps(q) - q.arrivalRps;
  return net > 0 ? (1000 * q.backlog) / net : Number.POSITIVE_INFINITY;
};
