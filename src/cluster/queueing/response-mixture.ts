import {
  createResponseTime,
  type ResponseTime,
  responseDensity,
  responseMeanMs,
  responseQuantileMs,
  responseSurvival,
  solveQuantileMs,
} from './response-time.ts';

/**
 * A service's response time: the load balancer sends a share w_i of requests to replica i, so the service's
 * response time is the mixture P(T > t) = sum_i w_i P(T_i > t) / sum_i w_i. Its percentiles are solved on the
 * mixture itself, not averaged from the replicas' (an average of p99s is not a p99). Preallocated: `parts`
 * grows only when a service gains replicas; `count` says how many entries are in use.
 */
export interface ResponseMixture {
  /** The replicas' response times; only the first `count` are used. */
  readonly parts: ResponseTime[];
  /** The replicas' traffic shares (any non-negative scale); only the first `count` are used. */
  readonly weights: number[];
  /** Entries in use. */
  count: number;
}

/** An empty mixture. */
export const createResponseMixture = (): ResponseMixture => ({ parts: [], weights: [], count: 0 });

/**
 * Clears `m` and makes room for `count` replicas; returns the parts to fill in place (with
 * setMmcResponseTime) and the weights to set. Allocates only when the mixture grows past its high-water mark.
 */
export const resetResponseMixture = (m: ResponseMixture, count: number): void => {
  while (m.parts.length < count) {
    m.parts.push(createResponseTime());
    m.weights.push(0);
  }
  for (let i = 0; i < count; i++) m.weights[i] = 0;
  m.count = count;
};

/**
 * Adds one more part to `m` after its `count` in use: `response` shifted by `delayMs` (a fixed wait after
 * the queue, such as a write's replication round trip), carrying `weight`. Allocates only past the high-water mark.
 */
export const appendMixturePart = (
  m: ResponseMixture,
  response: ResponseTime,
  delayMs: number,
  weight: number,
): void => {
  const i = m.count;
  if (m.parts.length <= i) {
    m.parts.push(createResponseTime());
    m.weights.push(0);
  }
  const part = m.parts[i];
  if (part === undefined) return;
  part.serviceRatePerMs = response.serviceRatePerMs;
  part.waitProbability = response.waitProbability;
  part.waitRatePerMs = response.waitRatePerMs;
  part.delayMs = response.delayMs + delayMs;
  m.weights[i] = weight;
  m.count = i + 1;
};

const totalWeight = (m: ResponseMixture): number => {
  let w = 0;
  for (let i = 0; i < m.count; i++) w += m.weights[i] ?? 0;
  return w;
};

const singlePart = (m: ResponseMixture): ResponseTime | undefined => {
  let found: ResponseTime | undefined;
  for (let i = 0; i < m.count; i++) {
    if ((m.weights[i] ?? 0) <= 0) continue;
    if (found !== undefined) return undefined;
    found = m.parts[i];
  }
  return found;
};

/** P(T > t) of the mixture, t in ms. 0 for a mixture that carries no traffic. */
export const mixtureSurvival = (m: ResponseMixture, tMs: number): number => {
  let s = 0;
  let w = 0;
  for (let i = 0; i < m.count; i++) {
    const wi = m.weights[i] ?? 0;
    const part = m.parts[i];
    if (wi <= 0 || part === undefined) continue;
    s += wi * responseSurvival(part, tMs);
    w += wi;
  }
  return w > 0 ? s / w : 0;
};

/** Density of the mixture at t in ms. */
export const mixtureDensity = (m: ResponseMixture, tMs: number): number => {
  let f = 0;
  let w = 0;
  for (let i = 0; i < m.count; i++) {
    const wi = m.weights[i] ?? 0;
    const part = m.parts[i];
    if (wi <= 0 || part === undefined) continue;
    f += wi * responseDensity(part, tMs);
    w += wi;
  }
  return w > 0 ? f / w : 0;
};

/** Mean response time of the mixture in ms (NaN when it carries no traffic). */
export const mixtureMeanMs = (m: ResponseMixture): number => {
  let sum = 0;
  let w = 0;
  for (let i = 0; i < m.count; i++) {
    const wi = m.weights[i] ?? 0;
    const part = m.parts[i];
    if (wi <= 0 || part === undefined) continue;
    sum += wi * responseMeanMs(part);
    w += wi;
  }
  return w > 0 ? sum / w : Number.NaN;
};

/**
 * The q-quantile of the mixture in ms (NaN when it carries no traffic). The search starts between the smallest
 * delay (where the mixture's survival is 1) and the largest of the parts' slowest-exponential quantiles, and
 * widens the bracket by doubling if the mixture's tail reaches further.
 */
export const mixtureQuantileMs = (m: ResponseMixture, q: number): number => {
  if (totalWeight(m) <= 0) return Number.NaN;
  if (!(q > 0)) return 0;
  if (q >= 1) return Number.POSITIVE_INFINITY;
  // One part carrying all the weight (identical replicas collapsed into one): its own quantile, exactly.
  const only = singlePart(m);
  if (only !== undefined) return responseQuantileMs(only, q);
  const tail = -Math.log1p(-q);
  let lo = Number.POSITIVE_INFINITY;
  let guess = 0;
  for (let i = 0; i < m.count; i++) {
    const part = m.parts[i];
    if ((m.weights[i] ?? 0) <= 0 || part === undefined) continue;
    const slowest = Math.min(
      part.serviceRatePerMs,
      part.waitProbability > 0 ? part.waitRatePerMs : Number.POSITIVE_INFINITY,
    );
    guess = Math.max(guess, part.delayMs + tail / slowest);
    lo = Math.min(lo, part.delayMs);
  }
  return solveQuantileMs(mixtureSurvival, mixtureDensity, m, q, lo, guess);
};
