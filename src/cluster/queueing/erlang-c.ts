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
 * Computed through the Erlang B recurrence B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), run on its inverse
 * 1/B(k) = 1 + (k / a) / B(k-1) (a multiply-add per step, no division), then C = B / (1 - rho (1 - B)) with
 * rho = a / c. Every term is positive, so nothing cancels: it stays exact for thousands of servers, where the
 * textbook sum of a^k / k! overflows (1/B may overflow to +Infinity only when C is below 1e-300, giving 0).
 * O(c), no allocation.
 * Returns 1 at or above saturation (a >= c), where every arrival waits.
 */
export const erlangC = (servers: number, offeredErlangs: number): number => {
  assertServers(servers);
  if (!(offeredErlangs > 0)) return 0;
  if (offeredErlangs >= servers) return 1;
  const perErlang = 1 / offeredErlangs;
  let inverseB = 1;
  for (let k = 1; k <= servers; k++) inverseB = 1 + k * perErlang * inverseB;
  const b = 1 / inverseB;
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
