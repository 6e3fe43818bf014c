import { describe, expect, it } from 'vitest';
import { HeartbeatDetectors, phiAccrual } from '../../src/mapek/failure-detectors.ts';

/** Feeds node 0 heartbeats arriving every second up to `untilMs`, reading once per 10 s cycle. */
const regular = (untilMs: number) => {
  const d = new HeartbeatDetectors(1, 1_000, 0);
  for (let t = 10_000; t <= untilMs; t += 10_000) d.observe(0, t - 20, t);
  return d;
};

describe('failure detectors', () => {
  it('phi-accrual grows with silence: negligible at the mean interval, past 8 well before 3 s', () => {
    const at = (ms: number) => phiAccrual(ms, 1_000, 200);

    expect(at(1_000)).toBeLessThan(0.5);
    expect(at(1_500)).toBeLessThan(8);
    expect(at(2_500)).toBeGreaterThan(8);
    expect(at(3_000)).toBeGreaterThan(at(2_500));
    expect(Number.isFinite(at(60_000))).toBe(true);
  });

  it('phi stays low while heartbeats keep coming, and rises once they stop', () => {
    const d = regular(60_000);

    const steady = d.observe(0, 59_980, 60_500);
    const silent = d.observe(0, 59_980, 63_000);

    expect(steady).toBeLessThan(1);
    expect(silent).toBeGreaterThan(8);
    expect(d.meanIntervalMs(0)).toBeCloseTo(1_000, 0);
  });

  it('the k-missed detector counts whole intervals of silence', () => {
    const d = regular(60_000);

    d.observe(0, 59_980, 63_200);

    expect(d.silenceMs(0)).toBe(3_220);
    expect(d.missed(0)).toBe(3);
  });

  it('counts silence from the start before a node was ever heard, so start-up raises no alarm', () => {
    const d = new HeartbeatDetectors(1, 1_000, 50_000);

    const phi = d.observe(0, Number.NEGATIVE_INFINITY, 50_200);

    expect(phi).toBe(0);
    expect(d.missed(0)).toBe(0);
  });
});
