import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { erlangC } from '../../../src/cluster/queueing/erlang-c.ts';
import {
  createResponseTime,
  responseMeanMs,
  responseQuantileMs,
  responseSurvival,
  setMmcResponseTime,
} from '../../../src/cluster/queueing/response-time.ts';
import {
  createRetryFixedPoint,
  solveRetryFixedPoint,
} from '../../../src/cluster/queueing/retry-fixed-point.ts';
import {
  DEFAULT_RETRY_POLICY,
  maxOfferedRps,
  offeredWithRetriesRps,
  type RetryPolicy,
} from '../../../src/cluster/queueing/retry-policy.ts';

const PARAMS = { seed: 1, numRuns: 200 };

// A replica: 1-64 workers, 1-200 ms of service, at 1-98 % utilisation.
const replica = fc.record({
  servers: fc.integer({ min: 1, max: 64 }),
  serviceTimeMs: fc.double({ min: 1, max: 200, noNaN: true }),
  utilisation: fc.double({ min: 0.01, max: 0.98, noNaN: true }),
});

const erlangCBySum = (c: number, a: number): number => {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const tail = term / (1 - a / c);
  return tail / (sum + tail);
};

describe('queueing laws over random replicas', () => {
  test.prop([replica], PARAMS)('Erlang C equals the textbook sum and lies in [0, 1]', (r) => {
    const a = r.servers * r.utilisation;
    const c = erlangC(r.servers, a);

    expect(c).toBeGreaterThanOrEqual(0);
    expect(c).toBeLessThanOrEqual(1);
    expect(c).toBeCloseTo(erlangCBySum(r.servers, a), 10);
  });

  test.prop([replica, fc.constantFrom(0.5, 0.9, 0.95, 0.99, 0.999)], PARAMS)(
    'the q-quantile leaves exactly 1 - q of the distribution above it, and grows with q',
    (r, q) => {
      const arrivalRps = (1000 * r.servers * r.utilisation) / r.serviceTimeMs;
      const t = setMmcResponseTime(createResponseTime(), r.servers, arrivalRps, r.serviceTimeMs);

      const quantile = responseQuantileMs(t, q);

      expect(responseSurvival(t, quantile) / (1 - q)).toBeCloseTo(1, 8);
      expect(responseQuantileMs(t, q + (1 - q) / 2)).toBeGreaterThan(quantile);
    },
  );

  test.prop([replica], PARAMS)('the mean is the service time plus the Erlang C wait, never less', (r) => {
    const arrivalRps = (1000 * r.servers * r.utilisation) / r.serviceTimeMs;
    const t = setMmcResponseTime(createResponseTime(), r.servers, arrivalRps, r.serviceTimeMs);
    const wait = erlangC(r.servers, r.servers * r.utilisation) / (r.servers * (1 - r.utilisation));

    expect(responseMeanMs(t) / (r.serviceTimeMs * (1 + wait))).toBeCloseTo(1, 9);
  });
});

// A non-decreasing failure curve: 0 below `knee`, rising linearly to `top` over `width` rps.
const curve = fc.record({
  knee: fc.double({ min: 0, max: 2_000, noNaN: true }),
  width: fc.double({ min: 1, max: 1_000, noNaN: true }),
  top: fc.double({ min: 0, max: 1, noNaN: true }),
});
type Curve = { knee: number; width: number; top: number };
const failureOf = (c: Curve, offeredRps: number) =>
  c.top * Math.min(1, Math.max(0, (offeredRps - c.knee) / c.width));

describe('the retry fixed point over random monotone failure curves', () => {
  test.prop(
    [
      curve,
      fc.double({ min: 1, max: 1_000, noNaN: true }),
      fc.integer({ min: 1, max: 5 }),
      fc.double({ min: 0, max: 5_000, noNaN: true }),
    ],
    PARAMS,
  )(
    'lands on a fixed point between the originals and the most they can become',
    (c, originals, attempts, start) => {
      const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: attempts };

      const out = solveRetryFixedPoint(createRetryFixedPoint(), originals, policy, failureOf, c, start);
      const g = offeredWithRetriesRps(originals, failureOf(c, out.offeredRps), policy);

      expect(out.offeredRps).toBeGreaterThanOrEqual(originals);
      expect(out.offeredRps).toBeLessThanOrEqual(maxOfferedRps(originals, policy) * (1 + 1e-12));
      if (out.converged) expect(Math.abs(g - out.offeredRps)).toBeLessThanOrEqual(1e-6 * out.offeredRps);
    },
  );

  test.prop(
    [curve, fc.double({ min: 1, max: 1_000, noNaN: true }), fc.double({ min: 0, max: 5_000, noNaN: true })],
    PARAMS,
  )(
    'never jumps over a fixed point: from a higher start it lands at least as high (monotone in history)',
    (c, originals, start) => {
      const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };

      const low = solveRetryFixedPoint(createRetryFixedPoint(), originals, policy, failureOf, c, start);
      const high = solveRetryFixedPoint(
        createRetryFixedPoint(),
        originals,
        policy,
        failureOf,
        c,
        start * 2 + 1,
      );

      expect(high.offeredRps).toBeGreaterThanOrEqual(low.offeredRps * (1 - 1e-9));
    },
  );
});
