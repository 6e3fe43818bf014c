import { describe, expect, it } from 'vitest';
import { HeartbeatDetectors, phiAccrual } from '../../src/mapek/failure-detectors.ts';

/**
 * The phi-accrual detector's statistics on synthetic heartbeat series, with hand-worked values.
 *
 * Hayashibara, Defago, Yared and Katayama, "The phi accrual failure detector" (SRDS 2004): with heartbeat
 * inter-arrival times modelled as normal with mean mu and deviation sigma, the suspicion after a silence
 * of t is phi(t) = -log10(1 - F(t)), F the normal CDF. The code uses the logistic approximation of the
 * normal tail that Akka and Cassandra use, 1 - F(t) ~ e / (1 + e) with e = exp(-y (1.5976 + 0.070566 y^2))
 * and y = (t - mu) / sigma. The running mean and variance are exponentially weighted, weight alpha = 0.1
 * per inter-arrival sample (Finch 2009, "Incremental calculation of weighted mean and variance"):
 *   d = x - mu,  mu' = mu + a d,  var' = (1 - a) (var + a d^2),
 * with a = 1 - (1 - alpha)^n when n heartbeats arrived between two reads (folded in as their mean gap).
 */

/** -log10 of the exact standard normal tail 1 - F(y), from the usual tables. */
const EXACT_NORMAL_PHI: ReadonlyMap<number, number> = new Map([
  [-1, -Math.log10(0.841345)],
  [0, Math.log10(2)],
  [1, -Math.log10(0.158655)],
  [2, -Math.log10(0.0227501)],
  [3, -Math.log10(0.0013499)],
  [5, -Math.log10(2.86652e-7)],
]);

describe('phi-accrual suspicion (Hayashibara et al. 2004)', () => {
  // Hand-worked with mu = 1000 ms, sigma = 200 ms, so a silence of 1000 + 200 y ms is y deviations late.
  const phiAt = (y: number) => phiAccrual(1_000 + 200 * y, 1_000, 200);

  it('is log10 2 exactly at the mean: as likely to come later as sooner', () => {
    expect(phiAt(0)).toBeCloseTo(Math.log10(2), 12);
  });

  it('one deviation late: a = 1.668166, e = 0.188611, 1 - F = 0.158675, phi = 0.79951', () => {
    expect(phiAt(1)).toBeCloseTo(0.79951, 5);
  });

  it('two deviations late: a = 3.759728, e = 0.023289, 1 - F = 0.022759, phi = 1.64283', () => {
    expect(phiAt(2)).toBeCloseTo(1.64283, 5);
  });

  it('one deviation early: a = -1.668166, 1 - 1/(1 + e) = 0.841325, phi = 0.07503', () => {
    expect(phiAt(-1)).toBeCloseTo(0.07503, 5);
  });

  it('matches -log10(1 - F) of the exact normal within 0.001 up to two deviations', () => {
    for (const y of [-1, 0, 1, 2]) {
      expect(Math.abs(phiAt(y) - (EXACT_NORMAL_PHI.get(y) ?? Number.NaN))).toBeLessThan(1e-3);
    }
  });

  it('in the far tail the logistic tail is thinner than the normal: more suspicious, never less', () => {
    // y = 3: 2.90948 against 2.86970; y = 5: 7.29995 against 6.54265.
    expect(phiAt(3)).toBeCloseTo(2.90948, 4);
    expect(phiAt(5)).toBeCloseTo(7.29995, 4);
    expect(phiAt(3)).toBeGreaterThan(EXACT_NORMAL_PHI.get(3) ?? Number.NaN);
    expect(phiAt(5)).toBeGreaterThan(EXACT_NORMAL_PHI.get(5) ?? Number.NaN);
  });

  it('stays finite for a silence where 1 - F underflows: phi = a / ln 10 for y = 295', () => {
    // y = 295: a = 295 (1.5976 + 0.070566 * 87025) = 1,812,063.7; a / ln 10 = 786,971.18.
    const phi = phiAccrual(60_000, 1_000, 200);

    expect(Number.isFinite(phi)).toBe(true);
    expect(phi).toBeCloseTo(786_971.18, 1);
  });

  it('is 0, not NaN or Infinity, for a heartbeat long before it was due', () => {
    // y = -300: e = exp(1.8e6) overflows to Infinity; 1 - 1 / (1 + e) = 1, so phi = -log10(1) = 0.
    expect(phiAccrual(0, 60_000, 200) === 0).toBe(true);
  });

  it('scales with the deviation: the same silence is less suspicious on a noisier link', () => {
    expect(phiAccrual(1_400, 1_000, 400)).toBeCloseTo(0.79951, 5);
    expect(phiAccrual(1_400, 1_000, 200)).toBeCloseTo(1.64283, 5);
  });
});

/** A detector over one node with a 1 s heartbeat interval, fed the arrival times, each read 10 ms later. */
const fed = (arrivals: readonly number[]) => {
  const d = new HeartbeatDetectors(1, 1_000, 0);
  for (const t of arrivals) d.observe(0, t, t + 10);
  return d;
};

describe('running heartbeat statistics on jittered series', () => {
  it('ignores the first heartbeat (no gap yet) and a heartbeat read twice', () => {
    const d = fed([5_000, 5_000, 5_000]);

    expect(d.meanIntervalMs(0)).toBe(1_000);
    // Mean and deviation untouched: 1 s of silence is exactly the mean, no suspicion.
    expect(d.observe(0, 5_000, 6_000)).toBe(0);
  });

  it('folds each gap with weight 0.1: gaps 1400, 600, 1400, 600 give mu = 1040, 996, 1036.4, 992.76', () => {
    const means: number[] = [];
    const d = new HeartbeatDetectors(1, 1_000, 0);
    for (const t of [0, 1_400, 2_000, 3_400, 4_000]) {
      d.observe(0, t, t);
      means.push(d.meanIntervalMs(0));
    }

    expect(means.map((m) => Math.round(m * 100) / 100)).toEqual([1_000, 1_040, 996, 1_036.4, 992.76]);
  });

  it('the jitter is the deviation phi uses: var = 14400, 30384, 42035.04, 54971.5824 (sigma 234.46 ms)', () => {
    const d = fed([0, 1_400, 2_000, 3_400, 4_000]);

    // 1.5 s of silence: y = (1500 - 992.76) / 234.4602 = 2.16343, phi = 1.81803.
    const phi = d.observe(0, 4_000, 5_500);

    expect(phi).toBeCloseTo(phiAccrual(1_500, 992.76, Math.sqrt(54_971.5824)), 9);
    expect(phi).toBeCloseTo(1.81803, 4);
    expect(d.silenceMs(0)).toBe(1_500);
  });

  it('a steady series keeps the deviation at its floor, a fifth of the interval', () => {
    // Gaps 1040, 960: mu = 1004, 999.6; var = 1440, 0.9 (1440 + 0.1 * 1936) = 1470.24, sigma 38 < 200.
    const d = fed([0, 1_040, 2_000]);

    const phi = d.observe(0, 2_000, 3_500);

    expect(d.meanIntervalMs(0)).toBeCloseTo(999.6, 9);
    expect(phi).toBeCloseTo(phiAccrual(1_500, 999.6, 200), 9);
  });

  it('heartbeats that arrived between two reads count as their mean gap, weighted as n samples', () => {
    // 9.6 s over about 10 intervals: sample 960, a = 1 - 0.9^10 = 0.6513216,
    // mu = 1000 - 0.6513216 * 40 = 973.94714, var = 0.3486784 * 0.6513216 * 1600 = 363.36 (sigma at its floor).
    const d = fed([5_000, 14_600]);

    expect(d.meanIntervalMs(0)).toBeCloseTo(973.94714, 4);
    expect(d.observe(0, 14_600, 16_100)).toBeCloseTo(phiAccrual(1_500, 973.94714, 200), 4);
  });

  it('a gap of more intervals than the decay table holds replaces the statistics outright', () => {
    // 99.6 s over 100 intervals: (1 - 0.1)^100 ~ 0, so a = 1: mu = 99600 / 100 = 996, var = 0.
    const d = fed([0, 99_600]);

    expect(d.meanIntervalMs(0)).toBe(996);
    expect(d.observe(0, 99_600, 99_600 + 996 + 200)).toBeCloseTo(phiAccrual(1_196, 996, 200), 9);
  });

  it('reads zero suspicion at or below the running mean, and phi just past it', () => {
    const d = fed([0, 1_400]);

    expect(d.observe(0, 1_400, 1_400 + 1_040)).toBe(0);
    expect(d.observe(0, 1_400, 1_400 + 1_041)).toBeGreaterThan(0.3);
  });

  it('keeps each node apart', () => {
    const d = new HeartbeatDetectors(2, 1_000, 0);
    d.observe(0, 0, 0);
    d.observe(0, 1_400, 1_400);
    d.observe(1, 0, 0);
    d.observe(1, 600, 600);

    d.observe(0, 1_400, 4_000);
    d.observe(1, 600, 1_000);

    expect([d.meanIntervalMs(0), d.meanIntervalMs(1)]).toEqual([1_040, 960]);
    expect([d.silenceMs(0), d.silenceMs(1)]).toEqual([2_600, 400]);
    expect([d.missed(0), d.missed(1)]).toEqual([2, 0]);
  });
});

describe('the k-missed-heartbeats count', () => {
  it('counts whole intervals since the last heartbeat, never a partial one', () => {
    const d = fed([0, 1_000]);

    const counts = [1_999, 2_000, 3_999, 4_000].map((now) => {
      d.observe(0, 1_000, now);
      return d.missed(0);
    });

    expect(counts).toEqual([0, 1, 2, 3]);
  });

  it('counts from the start for a node never heard from', () => {
    const d = new HeartbeatDetectors(1, 1_000, 10_000);

    d.observe(0, Number.NEGATIVE_INFINITY, 13_500);

    expect(d.silenceMs(0)).toBe(3_500);
    expect(d.missed(0)).toBe(3);
  });
});
