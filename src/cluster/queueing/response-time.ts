import { erlangC } from './erlang-c.ts';

/**
 * Response time of one replica as a distribution: T = D + S + W, where D is a deterministic delay (the
 * fluid backlog's queueing delay in a transient), S the service time (exponential, rate mu) and W the M/M/c
 * wait (0 with probability 1 - C, else exponential with rate theta = c mu - lambda). S and W are independent
 * in M/M/c under FIFO, so T - D is the exact mixture (1 - C) Exp(mu) + C Hypoexp(mu, theta): no approximation
 * beyond the M/M/c assumptions themselves (Harchol-Balter 2013 ch. 14; Kleinrock vol. 1 §3.5).
 * Plain mutable data, filled in place so the per-event path allocates nothing.
 */
export interface ResponseTime {
  /** mu: the service rate of one worker, per ms. */
  serviceRatePerMs: number;
  /** C: the probability that a request waits for a worker (Erlang C). */
  waitProbability: number;
  /** theta = c mu - lambda: the rate of the exponential wait, per ms. */
  waitRatePerMs: number;
  /** D: deterministic delay added to every request, in ms (backlog / service rate in a transient). */
  delayMs: number;
}

/**
 * Utilisation at which the steady-state part is evaluated when a replica runs at or above saturation: M/M/c has
 * no steady state there, so the fluid backlog carries the excess delay and the stochastic part stays at 99 %
 * (the cap the v0.1 model used too).
 */
export const MAX_STEADY_UTILISATION = 0.99;

/** A response-time record to fill with {@link setMmcResponseTime}: an idle server with a 1 ms service time. */
export const createResponseTime = (): ResponseTime => ({
  serviceRatePerMs: 1,
  waitProbability: 0,
  waitRatePerMs: 1,
  delayMs: 0,
});

/**
 * Fills `out` with the M/M/c response time of `servers` workers of mean service time `serviceTimeMs` at
 * `arrivalRps`, utilisation capped at `maxUtilisation`, plus a deterministic `delayMs`. Returns `out`.
 */
export const setMmcResponseTime = (
  out: ResponseTime,
  servers: number,
  arrivalRps: number,
  serviceTimeMs: number,
  delayMs = 0,
  maxUtilisation = MAX_STEADY_UTILISATION,
): ResponseTime => {
  const mu = 1 / serviceTimeMs;
  const lambda = Math.min(Math.max(arrivalRps, 0) / 1000, maxUtilisation * servers * mu);
  out.serviceRatePerMs = mu;
  out.waitProbability = erlangC(servers, lambda / mu);
  out.waitRatePerMs = servers * mu - lambda;
  out.delayMs = Math.max(delayMs, 0);
  return out;
};

/**
 * Stretches the stochastic part of `r` by `factor` in place, T = D + f (S + W): a slow node's latency factor
 * (a degraded disk, a pressure band) lengthens the work and the wait for a worker, not the FIFO delay of the
 * backlog, which the capacity factor's lower service rate already sets. Quantiles of the stochastic part
 * scale by f exactly: every rate divides by it, the wait probability is unchanged.
 */
export const stretchResponseTime = (r: ResponseTime, factor: number): ResponseTime => {
  if (factor === 1 || !(factor > 0)) return r;
  r.serviceRatePerMs /= factor;
  r.waitRatePerMs /= factor;
  return r;
};

/** Mean response time in ms: D + 1/mu + C/theta. */
export const responseMeanMs = (r: ResponseTime): number =>
  r.delayMs + 1 / r.serviceRatePerMs + r.waitProbability / r.waitRatePerMs;

// -expm1(-d t) / d, with its limit t at d = 0: the common factor of the hypoexponential's survival and density,
// written so neither cancels when the two rates are close nor overflows when they are far apart.
const spread = (d: number, t: number): number => (d > 0 ? -Math.expm1(-d * t) / d : t);

/** P(T > t) for t in ms. */
export const responseSurvival = (r: ResponseTime, tMs: number): number => {
  const t = tMs - r.delayMs;
  if (t <= 0) return 1;
  const mu = r.serviceRatePerMs;
  const c = r.waitProbability;
  const serviceOnly = Math.exp(-mu * t);
  if (c === 0) return serviceOnly;
  // Hypoexp(a, b) is symmetric in its rates; factoring out the slower one keeps every term bounded.
  const a = Math.min(mu, r.waitRatePerMs);
  const b = Math.max(mu, r.waitRatePerMs);
  const hypo = Math.exp(-a * t) * (1 + a * spread(b - a, t));
  return (1 - c) * serviceOnly + c * hypo;
};

/** Density of T at t in ms, per ms. */
export const responseDensity = (r: ResponseTime, tMs: number): number => {
  const t = tMs - r.delayMs;
  if (t < 0) return 0;
  const mu = r.serviceRatePerMs;
  const c = r.waitProbability;
  const serviceOnly = mu * Math.exp(-mu * t);
  if (c === 0) return serviceOnly;
  const a = Math.min(mu, r.waitRatePerMs);
  const b = Math.max(mu, r.waitRatePerMs);
  return (1 - c) * serviceOnly + c * a * b * Math.exp(-a * t) * spread(b - a, t);
};

/**
 * The q-quantile of T in ms (q in (0, 1), e.g. 0.99 for p99). Solves log P(T > t) = log(1 - q) with
 * {@link solveQuantileMs}; the bracket starts at the quantile of the slowest exponential and doubles.
 */
export const responseQuantileMs = (r: ResponseTime, q: number): number => {
  if (!(q > 0)) return r.delayMs;
  if (q >= 1) return Number.POSITIVE_INFINITY;
  const slowest = Math.min(r.serviceRatePerMs, r.waitProbability > 0 ? r.waitRatePerMs : r.serviceRatePerMs);
  return solveQuantileMs(
    responseSurvival,
    responseDensity,
    r,
    q,
    r.delayMs,
    r.delayMs - Math.log1p(-q) / slowest,
  );
};

const QUANTILE_ITERATIONS = 200;
const QUANTILE_TOLERANCE = 1e-11;

/**
 * The t at which `survival(d, t)` = 1 - q, for a survival function that decreases from 1 at `lo`: Newton's
 * method on log-survival (whose slope is minus the hazard rate), kept inside a bracket that bisection shrinks
 * whenever a Newton step would leave it (Press et al., Numerical Recipes, "rtsafe"). The bracket's upper end
 * starts at `guess` and doubles until it holds the root. Converges for any continuous survival function; takes
 * module-level functions and plain data, so it allocates nothing.
 */
export const solveQuantileMs = <D>(
  survival: (d: D, t: number) => number,
  density: (d: D, t: number) => number,
  d: D,
  q: number,
  lo: number,
  guess: number,
): number => {
  const target = Math.log1p(-q);
  let a = lo;
  let b = Math.max(guess, lo + 1e-9);
  for (let i = 0; i < 1100 && Math.log(survival(d, b)) > target; i++) {
    a = b;
    b = lo + 2 * (b - lo);
  }
  let t = (a + b) / 2;
  for (let i = 0; i < QUANTILE_ITERATIONS; i++) {
    const s = survival(d, t);
    const v = Math.log(s) - target;
    if (v === 0) return t;
    if (v > 0) a = t;
    else b = t;
    const newton = s > 0 ? t + (v * s) / density(d, t) : Number.NaN;
    if (newton >= a && newton <= b) {
      if (Math.abs(newton - t) <= QUANTILE_TOLERANCE * Math.max(1, t)) return newton;
      t = newton;
    } else {
      t = (a + b) / 2;
      if (b - a <= QUANTILE_TOLERANCE * Math.max(1, t)) return t;
    }
  }
  return t;
};
