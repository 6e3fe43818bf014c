import { nextBacklogCrossingMs, type ReplicaQueue, serviceRateRps } from './replica-queue.ts';
import {
  type ResponseTime,
  responseQuantileMs,
  setMmcResponseTime,
  stretchResponseTime,
} from './response-time.ts';

/**
 * Late shares at which the backlog's crossings become events, besides the fluid timeout level itself. The share
 * of admitted requests answered after the timeout, L(d) = P(S + W > timeout - d), rises from its steady value
 * to 1 as the backlog's delay d approaches the timeout; between two events it is held at its value at the
 * event, so these bands bound the error of holding it to one band (as the memory leak's pressure bands do).
 */
export const LATE_SHARE_BANDS: readonly number[] = [0.01, 0.1, 0.5, 0.9, 0.99];

/** Room for every band level plus the fluid timeout level. */
export const TIMEOUT_LEVEL_COUNT = LATE_SHARE_BANDS.length + 1;

/** A buffer for {@link setTimeoutLevels}. */
export const createTimeoutLevels = (): Float64Array => new Float64Array(TIMEOUT_LEVEL_COUNT);

/**
 * Fills `out` with the backlog levels (requests) at which the late share for clients with `timeoutMs` crosses
 * each band, at the replica's current arrival rate: the delay d_k = timeout - Q(1 - L_k) of the steady response
 * time Q, times mu; the last entry is mu x timeout, past which every queued request is late. Levels that the
 * queue cannot reach (below 0 or above its limit) are +Infinity. `scratch` receives the steady response time,
 * stretched by the node's `latencyFactor`.
 */
export const setTimeoutLevels = (
  out: Float64Array,
  q: ReplicaQueue,
  timeoutMs: number,
  scratch: ResponseTime,
  latencyFactor = 1,
): Float64Array => {
  const mu = serviceRateRps(q);
  setMmcResponseTime(scratch, q.servers, q.arrivalRps, q.serviceTimeMs);
  stretchResponseTime(scratch, latencyFactor);
  for (let k = 0; k < TIMEOUT_LEVEL_COUNT; k++) {
    const share = LATE_SHARE_BANDS[k];
    const delayMs = share === undefined ? timeoutMs : timeoutMs - responseQuantileMs(scratch, 1 - share);
    const level = (mu * delayMs) / 1000;
    out[k] = level > 0 && level < q.queueLimit ? level : Number.POSITIVE_INFINITY;
  }
  return out;
};

/** The next instant the backlog crosses one of `levels`, in ms (+Infinity if none is ahead on its slope). */
export const nextLevelCrossingMs = (q: ReplicaQueue, levels: Float64Array): number => {
  let next = Number.POSITIVE_INFINITY;
  for (let k = 0; k < levels.length; k++) {
    const level = levels[k] ?? Number.POSITIVE_INFINITY;
    if (level !== Number.POSITIVE_INFINITY) next = Math.min(next, nextBacklogCrossingMs(q, level));
  }
  return next;
};
