import { describe, expect, it } from 'vitest';
import type { ServiceId } from '../../src/cluster/ids.ts';
import { type TrafficReading, TrafficWatch } from '../../src/mapek/traffic-symptoms.ts';
import type { Symptom } from '../../src/mapek/types.ts';

const API = 'api' as ServiceId;

/** A healthy 300 rps service: no retries, everything in time, an empty queue, p99 40 ms. */
const healthy = (atMs: number, extra: Partial<TrafficReading> = {}): TrafficReading => ({
  atMs,
  servedRps: 300,
  originalRps: 300,
  retryRps: 0,
  goodputRps: 300,
  backlog: 0,
  latencyP50Ms: 20,
  latencyP99Ms: 40,
  ...extra,
});

const observe = (
  watch: TrafficWatch,
  r: TrafficReading,
  objective?: { p50Ms?: number; p99Ms?: number },
): Symptom[] => {
  const out: Symptom[] = [];
  watch.observe(0, API, r, objective, 2, out);
  return out;
};

describe('TrafficWatch: what a scrape of a service says about its traffic', () => {
  it('finds nothing in a healthy service, and learns its p99', () => {
    // Arrange
    const watch = new TrafficWatch(1);

    // Act
    const first = observe(watch, healthy(10_000));
    const second = observe(watch, healthy(20_000, { latencyP99Ms: 50 }));

    // Assert: 40 ms first, then 40 + 0.1 x (50 - 40) = 41 ms
    expect([...first, ...second]).toEqual([]);
    expect(watch.baseline(0)).toBeCloseTo(41, 9);
  });

  it('reports a p99 over the declared objective, and a p50 over its own', () => {
    // Arrange
    const watch = new TrafficWatch(1);

    // Act
    const out = observe(watch, healthy(10_000, { latencyP50Ms: 120, latencyP99Ms: 450 }), {
      p50Ms: 100,
      p99Ms: 300,
    });

    // Assert
    expect(out).toEqual([
      { kind: 'tail-latency', service: API, quantile: 'p99', latencyMs: 450, limitMs: 300, source: 'slo' },
      { kind: 'tail-latency', service: API, quantile: 'p50', latencyMs: 120, limitMs: 100, source: 'slo' },
    ]);
  });

  it('without an objective, reports a p99 over latencyThreshold x the learned p99', () => {
    // Arrange: the baseline is 40 ms, the threshold 2x
    const watch = new TrafficWatch(1);
    observe(watch, healthy(10_000));

    // Act
    const under = observe(watch, healthy(20_000, { latencyP99Ms: 79 }));
    const over = observe(watch, healthy(30_000, { latencyP99Ms: 81 }));

    // Assert
    expect(under).toEqual([]);
    expect(over).toEqual([
      { kind: 'tail-latency', service: API, quantile: 'p99', latencyMs: 81, limitMs: 80, source: 'baseline' },
    ]);
  });

  it('reports a backlog that grows, with its growth rate and the delay it adds', () => {
    // Arrange: 200 waiting at 10 s
    const watch = new TrafficWatch(1);
    observe(watch, healthy(10_000, { backlog: 200, servedRps: 400 }));

    // Act: 1000 waiting at 20 s, served at 400 rps
    const out = observe(watch, healthy(20_000, { backlog: 1_000, servedRps: 400 }));

    // Assert: (1000 - 200) / 10 s = 80/s; 1000 / 400 rps = 2.5 s of delay
    expect(out).toContainEqual({
      kind: 'backlog-growing',
      service: API,
      backlog: 1_000,
      growthPerSec: 80,
      delayMs: 2_500,
    });
  });

  it('does not call a standing or shrinking backlog growing, nor one too short to delay anyone', () => {
    // Arrange
    const watch = new TrafficWatch(1);
    observe(watch, healthy(10_000, { backlog: 1_000, servedRps: 400 }));

    // Act
    const standing = observe(watch, healthy(20_000, { backlog: 1_050, servedRps: 400 }));
    const short = new TrafficWatch(1);
    observe(short, healthy(10_000, { backlog: 5, servedRps: 400 }));
    const tiny = observe(short, healthy(20_000, { backlog: 30, servedRps: 400 }));

    // Assert: +5 % is noise; 30 requests at 400 rps are 75 ms, under the 100 ms that matters
    expect(standing.filter((s) => s.kind === 'backlog-growing')).toEqual([]);
    expect(tiny.filter((s) => s.kind === 'backlog-growing')).toEqual([]);
  });

  it('reports retry amplification at 1.5 attempts per request and more', () => {
    // Arrange
    const watch = new TrafficWatch(1);

    // Act
    const calm = observe(watch, healthy(10_000, { retryRps: 140 }));
    const storm = observe(watch, healthy(20_000, { retryRps: 600 }));

    // Assert: 440 / 300 = 1.47 is under; 900 / 300 = 3 is over
    expect(calm.filter((s) => s.kind === 'retry-amplification')).toEqual([]);
    expect(storm).toContainEqual({
      kind: 'retry-amplification',
      service: API,
      amplification: 3,
      originalRps: 300,
      retryRps: 600,
    });
  });

  it('reports goodput far below throughput: servers busy with answers that come too late', () => {
    // Arrange
    const watch = new TrafficWatch(1);

    // Act
    const out = observe(watch, healthy(10_000, { servedRps: 400, goodputRps: 40, backlog: 1_024 }));

    // Assert
    expect(out).toContainEqual({
      kind: 'goodput-collapse',
      service: API,
      goodputRps: 40,
      throughputRps: 400,
      originalRps: 300,
      backlog: 1_024,
    });
  });

  it('learns nothing from a scrape that shows a symptom', () => {
    // Arrange
    const watch = new TrafficWatch(1);
    observe(watch, healthy(10_000));

    // Act: a storm scrape with a p99 within the learning factor
    observe(watch, healthy(20_000, { retryRps: 600, latencyP99Ms: 50 }));

    // Assert
    expect(watch.baseline(0)).toBe(40);
  });

  it('alerts on what the cycle would report, without learning', () => {
    // Arrange
    const watch = new TrafficWatch(1);
    observe(watch, healthy(10_000));

    // Act, Assert
    expect(watch.alerting(0, healthy(20_000), undefined, 2)).toBe(false);
    expect(watch.alerting(0, healthy(20_000, { retryRps: 150 }), undefined, 2)).toBe(true);
    expect(watch.alerting(0, healthy(20_000, { goodputRps: 100 }), undefined, 2)).toBe(true);
    expect(watch.alerting(0, healthy(20_000, { latencyP99Ms: 301 }), { p99Ms: 300 }, 2)).toBe(true);
    expect(watch.alerting(0, healthy(20_000, { latencyP99Ms: 81 }), undefined, 2)).toBe(true);
    expect(watch.baseline(0)).toBe(40);
  });
});
