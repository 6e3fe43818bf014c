import { describe, expect, it } from 'vitest';
import {
  createResponseMixture,
  mixtureMeanMs,
  mixtureQuantileMs,
  mixtureSurvival,
  resetResponseMixture,
} from '../../../src/cluster/queueing/response-mixture.ts';
import {
  createResponseTime,
  responseMeanMs,
  responseQuantileMs,
  responseSurvival,
  setMmcResponseTime,
} from '../../../src/cluster/queueing/response-time.ts';

const within1pc = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected) / expected).toBeLessThan(0.01);

describe('M/M/c response time = service + wait (exact mixture)', () => {
  // c = 2, mu = 1/s, lambda = 1.5/s: C = 9/14, theta = 0.5/s. Then
  // P(T > t) = (5/14) e^-t + (9/14) (2 e^-t/2 - e^-t) = (18 x - 4 x^2) / 14 with x = e^-t/2,
  // so the q-quantile is t = -2 ln x, x = (18 - sqrt(324 - 224 (1 - q))) / 8.
  const handQuantileMs = (q: number) => -2000 * Math.log((18 - Math.sqrt(324 - 224 * (1 - q))) / 8);
  const r = setMmcResponseTime(createResponseTime(), 2, 1.5, 1000);

  it('mean = 1/mu + C/theta = 1 + 9/7 s = 2285.714 ms', () => {
    within1pc(responseMeanMs(r), 16_000 / 7);
    expect(responseMeanMs(r)).toBeCloseTo(16_000 / 7, 6);
  });

  it('p99 = 9709.50 ms, p95 = 6476.58 ms, p50 = 1688.07 ms, each from the closed form', () => {
    within1pc(responseQuantileMs(r, 0.99), 9709.503);
    expect(responseQuantileMs(r, 0.99)).toBeCloseTo(handQuantileMs(0.99), 6);
    expect(responseQuantileMs(r, 0.95)).toBeCloseTo(handQuantileMs(0.95), 6);
    expect(responseQuantileMs(r, 0.5)).toBeCloseTo(handQuantileMs(0.5), 6);
  });

  it('a 400 rps, 20 ms replica (8 workers) at 320 rps: mean 25.72 ms, p50 19.73 ms, p99 103.04 ms', () => {
    const replica = setMmcResponseTime(createResponseTime(), 8, 320, 20);

    within1pc(responseMeanMs(replica), 25.7206);
    within1pc(responseQuantileMs(replica, 0.5), 19.7267);
    within1pc(responseQuantileMs(replica, 0.99), 103.0436);
  });

  it('c = 1 reduces to M/M/1: T ~ Exp(mu - lambda), mean 1/(mu - lambda), p99 = ln 100 / (mu - lambda)', () => {
    // mu = 100/s (10 ms), lambda = 80/s: mu - lambda = 20/s.
    const mm1 = setMmcResponseTime(createResponseTime(), 1, 80, 10);

    expect(responseMeanMs(mm1)).toBeCloseTo(50, 9);
    expect(responseQuantileMs(mm1, 0.99)).toBeCloseTo((1000 * Math.log(100)) / 20, 6);
    expect(responseSurvival(mm1, 100)).toBeCloseTo(Math.exp(-2), 12);
  });

  it('theta = mu (lambda = (c - 1) mu) takes the Erlang-2 limit without cancelling', () => {
    // c = 2, mu = lambda = 1/s: C = 1/3, theta = 1/s; P(T > t) = (2/3) e^-t + (1/3)(1 + t) e^-t.
    const r2 = setMmcResponseTime(createResponseTime(), 2, 1, 1000);

    expect(r2.waitRatePerMs).toBeCloseTo(r2.serviceRatePerMs, 15);
    expect(responseSurvival(r2, 3000)).toBeCloseTo((2 / 3 + (1 / 3) * 4) * Math.exp(-3), 12);
  });

  it('adds the backlog delay D to every request: quantiles and mean shift by D exactly', () => {
    const shifted = setMmcResponseTime(createResponseTime(), 2, 1.5, 1000, 500);

    expect(responseMeanMs(shifted)).toBeCloseTo(16_000 / 7 + 500, 6);
    expect(responseQuantileMs(shifted, 0.99)).toBeCloseTo(handQuantileMs(0.99) + 500, 6);
    expect(responseSurvival(shifted, 400)).toBe(1);
  });

  it('caps utilisation at 99 % at and above saturation instead of diverging', () => {
    const saturated = setMmcResponseTime(createResponseTime(), 8, 1_000, 20);
    const at99 = setMmcResponseTime(createResponseTime(), 8, 396, 20);

    expect(responseQuantileMs(saturated, 0.99)).toBeCloseTo(responseQuantileMs(at99, 0.99), 9);
    expect(Number.isFinite(responseMeanMs(saturated))).toBe(true);
  });
});

describe('a service as the mixture of its replicas', () => {
  it('one replica: the mixture is that replica', () => {
    const m = createResponseMixture();
    resetResponseMixture(m, 1);
    setMmcResponseTime(m.parts[0] ?? createResponseTime(), 2, 1.5, 1000);
    m.weights[0] = 1;

    expect(mixtureQuantileMs(m, 0.99)).toBeCloseTo(9709.503, 2);
    expect(mixtureMeanMs(m)).toBeCloseTo(16_000 / 7, 6);
  });

  it('two M/M/1 replicas, one twice as slow, half the traffic each: P(T > p99) = 1 % on the mixture', () => {
    const m = createResponseMixture();
    resetResponseMixture(m, 2);
    const [fast, slow] = m.parts;
    if (fast === undefined || slow === undefined) throw new Error('mixture parts');
    setMmcResponseTime(fast, 1, 50, 10); // Exp(50/s): mean 20 ms
    setMmcResponseTime(slow, 1, 25, 20); // Exp(25/s): mean 40 ms
    m.weights[0] = 1;
    m.weights[1] = 1;

    const p99 = mixtureQuantileMs(m, 0.99);

    // 0.5 e^(-0.05 t) + 0.5 e^(-0.025 t) = 0.01 at t = 155.71 ms (x = e^(-0.025 t) solves x^2 + x = 0.02).
    const x = (-1 + Math.sqrt(1 + 0.08)) / 2;
    expect(p99).toBeCloseTo(-Math.log(x) / 0.025, 6);
    expect(mixtureSurvival(m, p99)).toBeCloseTo(0.01, 12);
    expect(mixtureMeanMs(m)).toBeCloseTo(30, 9);
  });

  it('a mixture with no traffic has no latency', () => {
    const m = createResponseMixture();
    resetResponseMixture(m, 2);

    expect(mixtureQuantileMs(m, 0.99)).toBeNaN();
  });
});
