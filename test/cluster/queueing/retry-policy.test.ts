import { describe, expect, it } from 'vitest';
import {
  backoffCeilingMs,
  backoffDelayMs,
  clientGoodputRps,
  DEFAULT_RETRY_BUDGET,
  DEFAULT_RETRY_POLICY,
  maxOfferedRps,
  meanBackoffMs,
  offeredWithRetriesRps,
  type RetryPolicy,
  retryAmplification,
  retryLagMs,
} from '../../../src/cluster/queueing/retry-policy.ts';

const threeAttempts: RetryPolicy = { ...DEFAULT_RETRY_POLICY, timeoutMs: 1_000, maxAttempts: 3 };

describe('retry amplification', () => {
  it('equals the geometric sum 1 + p + p^2 for 3 attempts: 1.75 at p = 0.5, 1.21 at p = 0.1 + ...', () => {
    expect(retryAmplification(0.5, 3)).toBeCloseTo(1 + 0.5 + 0.25, 12);
    expect(retryAmplification(0.1, 3)).toBeCloseTo(1.11, 12);
    expect(retryAmplification(0.3, 5)).toBeCloseTo(1 + 0.3 + 0.09 + 0.027 + 0.0081, 12);
  });

  it('is 1 without failures and n when every attempt fails', () => {
    expect(retryAmplification(0, 3)).toBe(1);
    expect(retryAmplification(1, 3)).toBe(3);
    expect(retryAmplification(0.9, 1)).toBe(1);
  });

  it('multiplies the originals into offered load: 100 rps at p = 0.5, 3 attempts offer 175 rps and get 87.5 answers', () => {
    const offered = offeredWithRetriesRps(100, 0.5, threeAttempts);

    expect(offered).toBeCloseTo(175, 9);
    // Each original fails only if all three attempts fail: 100 x (1 - 0.5^3) = 87.5 succeed.
    expect(clientGoodputRps(offered, 0.5)).toBeCloseTo(87.5, 9);
  });
});

describe('retry budget', () => {
  const budgeted: RetryPolicy = { ...threeAttempts, retryBudget: { ratio: 0.2, minRetriesPerSecond: 10 } };

  it('bounds retries to ratio x originals + the floor: 100 rps at p = 0.5 offer 100 + min(75, 30) = 130 rps', () => {
    expect(offeredWithRetriesRps(100, 0.5, budgeted)).toBeCloseTo(130, 9);
  });

  it('bounds the worst case: every attempt failing offers 130 rps instead of 300', () => {
    expect(maxOfferedRps(100, budgeted)).toBeCloseTo(130, 9);
    expect(maxOfferedRps(100, threeAttempts)).toBeCloseTo(300, 9);
  });

  it('does not bind when few attempts fail: p = 0.1 offers the geometric 111 rps', () => {
    expect(offeredWithRetriesRps(100, 0.1, budgeted)).toBeCloseTo(111, 9);
  });

  it('defaults to Finagle: 20 % of requests and 10 retries per second', () => {
    expect(DEFAULT_RETRY_BUDGET).toEqual({ ratio: 0.2, minRetriesPerSecond: 10 });
  });
});

describe('exponential backoff with full jitter', () => {
  it('doubles the ceiling from the base up to the cap: 25, 50, 100, 200, 250, 250 ms', () => {
    expect([1, 2, 3, 4, 5, 6].map((k) => backoffCeilingMs(threeAttempts, k))).toEqual([
      25, 50, 100, 200, 250, 250,
    ]);
  });

  it('sleeps a uniform share of the ceiling: u = 0.5 on retry 3 sleeps 50 ms, u = 0 sleeps nothing', () => {
    expect(backoffDelayMs(threeAttempts, 3, 0.5)).toBe(50);
    expect(backoffDelayMs(threeAttempts, 3, 0)).toBe(0);
    expect(meanBackoffMs(threeAttempts, 2)).toBe(25);
  });

  it('puts the retry feedback one timeout and one mean backoff behind the failure', () => {
    expect(retryLagMs(threeAttempts)).toBe(1_000 + 12.5);
    expect(retryLagMs(DEFAULT_RETRY_POLICY)).toBe(0);
  });
});
