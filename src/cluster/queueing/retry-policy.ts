/**
 * A retry budget as in Finagle's RetryBudget and tower's Budget: retries per second at most `ratio` x original
 * requests per second + `minRetriesPerSecond`.
 */
export interface RetryBudget {
  readonly ratio: number;
  readonly minRetriesPerSecond: number;
}

/**
 * What a client does when an attempt fails: how long it waits for an answer, how often it tries, how long it
 * backs off between tries, and how many retries its budget allows. Times in ms, rates per second.
 */
export interface RetryPolicy {
  /** The client gives up on an attempt after this long (the attempt still costs the server its work). */
  readonly timeoutMs: number;
  /** Attempts per request, the first included: 1 means no retries. */
  readonly maxAttempts: number;
  /** Exponential backoff: retry k (k >= 1) sleeps uniform(0, min(capMs, baseMs x 2^(k-1))) (full jitter). */
  readonly backoff: {
    readonly baseMs: number;
    readonly capMs: number;
    /** `full` (the default): sleep uniform(0, ceiling); `none`: sleep the ceiling. */
    readonly jitter?: 'full' | 'none';
  };
  /**
   * Optional retry budget as in Finagle's RetryBudget and tower's Budget: retries per second at most
   * `ratio` x original requests per second + `minRetriesPerSecond`. Envoy's retry_budget bounds retries as a
   * fraction of active requests instead; by Little's law the two agree when retries and first attempts take
   * about as long. Absent: no budget.
   */
  readonly retryBudget?: RetryBudget;
}

/**
 * Defaults: Envoy's route timeout (15 s) and retry back-off (base 25 ms, cap 10 x base = 250 ms); one attempt,
 * since Envoy retries nothing unless a retry policy says so. A budget, when given without values, takes Finagle's
 * defaults (20 % of requests, 10 retries per second).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  timeoutMs: 15_000,
  maxAttempts: 1,
  backoff: { baseMs: 25, capMs: 250 },
};

/** Finagle's RetryBudget defaults: percentCanRetry 0.2, minRetriesPerSec 10. */
export const DEFAULT_RETRY_BUDGET = { ratio: 0.2, minRetriesPerSecond: 10 } as const;

/**
 * Attempts per original request when each fails independently with probability p and the client tries up to
 * n times: sum_{k=0}^{n-1} p^k = (1 - p^n) / (1 - p), n at p = 1.
 */
export const retryAmplification = (failureProbability: number, maxAttempts: number): number => {
  const p = Math.min(Math.max(failureProbability, 0), 1);
  if (p === 1) return maxAttempts;
  return (1 - p ** maxAttempts) / (1 - p);
};

/**
 * Total attempts per second that `originalRps` requests become under `policy` at attempt failure probability p:
 * originals x amplification, with retries capped by the budget when there is one.
 */
export const offeredWithRetriesRps = (
  originalRps: number,
  failureProbability: number,
  policy: RetryPolicy,
): number => {
  const retries = originalRps * (retryAmplification(failureProbability, policy.maxAttempts) - 1);
  const budget = policy.retryBudget;
  if (budget === undefined) return originalRps + retries;
  return originalRps + Math.min(retries, budget.ratio * originalRps + budget.minRetriesPerSecond);
};

/**
 * The most attempts per second `originalRps` can become under `policy` (every attempt failing): the upper end of
 * the fixed-point search.
 */
export const maxOfferedRps = (originalRps: number, policy: RetryPolicy): number =>
  offeredWithRetriesRps(originalRps, 1, policy);

/**
 * Requests per second that reach their client with an answer when `offeredRps` attempts each fail with
 * probability p: (1 - p) x offered (each original succeeds at most once, so this is also the client's goodput).
 */
export const clientGoodputRps = (offeredRps: number, failureProbability: number): number =>
  offeredRps * (1 - Math.min(Math.max(failureProbability, 0), 1));

/**
 * Sleep before retry `retry` (1 for the first retry), in ms, for a uniform draw `u` in [0, 1) from a seeded
 * stream: full jitter, u x min(cap, base x 2^(retry-1)) (Brooker, "Exponential Backoff and Jitter", AWS
 * Architecture Blog, 2015).
 */
export const backoffDelayMs = (policy: RetryPolicy, retry: number, u: number): number =>
  (policy.backoff.jitter === 'none' ? 1 : u) * backoffCeilingMs(policy, retry);

/** The ceiling of retry `retry`'s full-jitter sleep, min(cap, base x 2^(retry-1)), in ms. */
export const backoffCeilingMs = (policy: RetryPolicy, retry: number): number =>
  Math.min(policy.backoff.capMs, policy.backoff.baseMs * 2 ** Math.max(retry - 1, 0));

/** Mean sleep before retry `retry`: half its ceiling under full jitter, the ceiling without jitter, in ms. */
export const meanBackoffMs = (policy: RetryPolicy, retry: number): number =>
  backoffCeilingMs(policy, retry) / (policy.backoff.jitter === 'none' ? 1 : 2);

/**
 * How long after a regime change its retries reach the server, in ms: a failed attempt is known after the
 * timeout (a rejection sooner, but the slow path sets the lag), then the first retry sleeps its mean backoff.
 * The wiring may apply a new fixed point this much later; the steady-state rate does not depend on it.
 */
export const retryLagMs = (policy: RetryPolicy): number =>
  policy.maxAttempts > 1 ? policy.timeoutMs + meanBackoffMs(policy, 1) : 0;
