import { describe, expect, it } from 'vitest';
import {
  createResponseTime,
  responseSurvival,
  setMmcResponseTime,
} from '../../../src/cluster/queueing/response-time.ts';
import {
  createRetryFixedPoint,
  solveRetryFixedPoint,
} from '../../../src/cluster/queueing/retry-fixed-point.ts';
import {
  DEFAULT_RETRY_POLICY,
  offeredWithRetriesRps,
  type RetryPolicy,
} from '../../../src/cluster/queueing/retry-policy.ts';

const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, timeoutMs: 100, maxAttempts: 3 };

const constant = (p: number, _offeredRps: number) => p;

// Long-run failure of a 400 rps, 20 ms, 8-worker replica for clients with a 100 ms timeout: below capacity,
// the M/M/c share answered after the timeout; at or above it the queue fills and every attempt fails.
const steadyReplica = { scratch: createResponseTime() };
const steadyFailure = (d: typeof steadyReplica, offeredRps: number): number => {
  if (offeredRps >= 400) return 1;
  setMmcResponseTime(d.scratch, 8, offeredRps, 20);
  return responseSurvival(d.scratch, 100);
};

describe('retry fixed point: offered load = originals x amplification(p(offered load))', () => {
  it('with a load-independent failure rate it is the geometric amplification: 200 rps at p = 0.5 offer 350 rps', () => {
    const out = solveRetryFixedPoint(createRetryFixedPoint(), 200, policy, constant, 0.5, 200);

    expect(out.offeredRps).toBeCloseTo(350, 9);
    expect(out.converged).toBe(true);
  });

  it('lands on a fixed point: G(lambda) = lambda within the tolerance, from any start', () => {
    for (const start of [0, 250, 500, 700, 900]) {
      const out = solveRetryFixedPoint(
        createRetryFixedPoint(),
        300,
        policy,
        steadyFailure,
        steadyReplica,
        start,
      );
      const g = offeredWithRetriesRps(300, steadyFailure(steadyReplica, out.offeredRps), policy);

      expect(out.converged).toBe(true);
      expect(Math.abs(g - out.offeredRps)).toBeLessThan(1e-6 * out.offeredRps);
    }
  });

  it('is bistable at 300 rps: healthy from a healthy past, a retry storm at 3x from a stormy past (hysteresis)', () => {
    const fromHealthy = solveRetryFixedPoint(
      createRetryFixedPoint(),
      300,
      policy,
      steadyFailure,
      steadyReplica,
      300,
    );
    const fromStorm = solveRetryFixedPoint(
      createRetryFixedPoint(),
      300,
      policy,
      steadyFailure,
      steadyReplica,
      900,
    );

    expect(fromHealthy.offeredRps).toBeLessThan(310);
    expect(fromHealthy.failureProbability).toBeLessThan(0.02);
    expect(fromStorm.offeredRps).toBe(900);
    expect(fromStorm.failureProbability).toBe(1);
  });

  it('a retry budget removes the storm branch: 300 rps can offer at most 300 + 70 rps < 400 rps of capacity', () => {
    const budgeted: RetryPolicy = { ...policy, retryBudget: { ratio: 0.2, minRetriesPerSecond: 10 } };

    const fromStorm = solveRetryFixedPoint(
      createRetryFixedPoint(),
      300,
      budgeted,
      steadyFailure,
      steadyReplica,
      900,
    );

    expect(fromStorm.offeredRps).toBeLessThan(310);
  });

  it('never offers less than the originals nor more than maxAttempts x originals', () => {
    const low = solveRetryFixedPoint(createRetryFixedPoint(), 100, policy, constant, 0, 0);
    const high = solveRetryFixedPoint(createRetryFixedPoint(), 100, policy, constant, 1, 10_000);

    expect(low.offeredRps).toBe(100);
    expect(high.offeredRps).toBe(300);
  });
});
