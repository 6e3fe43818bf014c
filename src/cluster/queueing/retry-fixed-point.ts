import { maxOfferedRps, offeredWithRetriesRps, type RetryPolicy } from './retry-policy.ts';

/**
 * The offered load with retries is a fixed point: the load lambda sets the attempt failure probability p(lambda)
 * (rejections, timeouts), and p sets the load, lambda = G(lambda) = offeredWithRetries(originals, p(lambda)).
 *
 * Why plain iteration converges, and to the right branch: p is non-decreasing in lambda (more load, more
 * rejections and later answers) and the amplification is non-decreasing in p, so G is non-decreasing and maps
 * [originals, maxOffered] into itself. From any start x0 the sequence x_{k+1} = G(x_k) is therefore monotone
 * (x1 >= x0 implies G(x1) >= G(x0), and so on) and bounded, so it converges (monotone convergence theorem); its
 * limit is a fixed point wherever G is continuous from the side it approaches (Tarski-Kleene). It never steps
 * over a fixed point: an increasing sequence stays below the smallest fixed point above x0, a decreasing one
 * above the largest below x0, so no damping is needed and no oscillation can occur. Every iterate is a bound on
 * the answer from the side of the previous state, so a truncated run errs towards the previous state.
 *
 * The bistable case: when G crosses the diagonal three times there are two stable branches, a healthy one (few
 * failures, few retries) and a retry storm (most attempts fail, the load is multiplied by up to maxAttempts),
 * with an unstable point between them. Starting from the previous offered load selects the branch continuous
 * with the previous state: a spike that pushes the system past the unstable point leaves it on the storm branch
 * after the spike ends, the sustaining effect of a metastable failure (Bronson et al., HotOS 2021; Huang et al.,
 * OSDI 2022).
 */
export interface RetryFixedPoint {
  /** Attempts per second at the fixed point, originals and retries. */
  offeredRps: number;
  /** Attempt failure probability at that load. */
  failureProbability: number;
  /** Iterations used. */
  iterations: number;
  /** False when the iteration limit stopped it first (its answer is then a bound from the previous state's side). */
  converged: boolean;
}

/** A fixed-point record to fill with {@link solveRetryFixedPoint}. */
export const createRetryFixedPoint = (): RetryFixedPoint => ({
  offeredRps: 0,
  failureProbability: 0,
  iterations: 0,
  converged: true,
});

const MAX_ITERATIONS = 500;
const RELATIVE_TOLERANCE = 1e-9;

/**
 * Solves lambda = G(lambda) from `previousOfferedRps` (clipped to [originals, maxOffered]) by monotone iteration.
 * `failureAt(data, lambda)` is the attempt failure probability at load lambda and must be non-decreasing in it;
 * pass a module-level function and a preallocated `data` so the call allocates nothing. Fills `out`.
 */
export const solveRetryFixedPoint = <D>(
  out: RetryFixedPoint,
  originalRps: number,
  policy: RetryPolicy,
  failureAt: (data: D, offeredRps: number) => number,
  data: D,
  previousOfferedRps: number,
): RetryFixedPoint => {
  const hi = maxOfferedRps(originalRps, policy);
  let x = Math.min(Math.max(previousOfferedRps, originalRps), hi);
  let p = failureAt(data, x);
  out.converged = false;
  let k = 0;
  while (k < MAX_ITERATIONS) {
    k++;
    const next = offeredWithRetriesRps(originalRps, p, policy);
    const step = Math.abs(next - x);
    x = next;
    p = failureAt(data, x);
    if (step <= RELATIVE_TOLERANCE * Math.max(x, 1e-12)) {
      out.converged = true;
      break;
    }
  }
  out.offeredRps = x;
  out.failureProbability = p;
  out.iterations = k;
  return out;
};
