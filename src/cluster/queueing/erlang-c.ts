/**
 * Erlang C: the probability that an arrival to an M/M/c queue has to wait, and the waiting time that follows.
 * Kleinrock, Queueing Systems vol. 1 (1975), §3.5; Harchol-Balter, Performance Modeling and Design of Computer
 * Systems (2013), ch. 14. Rates are per second, times in milliseconds, as everywhere in the cluster model.
 */

const assertServers = (servers: number): void => {
  if (!Number.isInteger(servers) || servers < 1) {
    throw new RangeError(`erlangC: servers must be an integer >= 1, got ${servers}`);
  }
};

/**
 * Erlang C probability of waiting, C(c, a), for `servers` = c workers and `offeredErlangs` = a = lambda / mu.
 * Computed through the Erlang B recurrence B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), then
 * C = B / (1 - rho (1 - B)) with rho = a / c: every step stays in [0, 1], so it neither overflows nor loses
 * precision for thousands of servers, where the textbook sum of a^k / k! overflows. O(c), no allocation.
 * Returns 1 at or above saturation (a >= c), where every arrival waits.
 */
export const erlangC = (servers: number, offeredErlangs: number): number => {
  assertServers(servers);
  if (!(offeredErlangs > 0)) return 0;
  if (offeredErlangs >= servers) return 1;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredErlangs * b) / (k + offeredErlangs * b);
  const rho = offeredErlangs / servers;
  return b / (1 - rho * (1 - b));
};

/**
 * Mean waiting time in queue of M/M/c, in ms: W_q = C / (c mu - lambda), with `serviceRps` = mu per worker.
 * Infinite at or above saturation.
 */
export const mmcMeanWaitMs = (servers: number, arrivalRps: number, serviceRps: number): number => {
  const drainRps = servers * serviceRps - arrivalRps;
  if (!(drainRps > 0)) return Number.POSITIVE_INFINITY;
  return (1000 * erlangC(servers, arrivalRps / serviceRps)) / drainRps;
};

/**
 * Waiting-time tail of M/M/c: P(W > t) = C exp(-(c mu - lambda) t). The wait is 0 with probability 1 - C and
 * exponential with rate c mu - lambda otherwise (FIFO service order).
 */
export const mmcWaitTail = (servers: number, arrivalRps: number, serviceRps: number, tMs: number): number => {
  const drainRps = servers * serviceRps - arrivalRps;
  if (!(drainRps > 0)) return 1;
  if (tMs < 0) return 1;
  return erlangC(servers, arrivalRps / serviceRps) * Math.exp((-drainRps * tMs) / 1000);
};
