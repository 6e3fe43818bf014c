import { describe, expect, it } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import { traceOf, worldWithLoop } from '../support/mapek.ts';

/** The seed's 10 s cycle: the loop's regular cycles start at 0, 10, 20... 60, 70 s. */
const CONFIG = MapekConfig.create().withCycleInterval(10_000);

describe('the loop looks early when its evidence arrives between cycles', () => {
  it('a scrape showing a service hurt wakes the waiting loop: a slow node is diagnosed before the next cycle', () => {
    const { loop, world } = worldWithLoop(
      {
        cluster: {
          nodes: { count: 6 },
          services: [{ name: 'api', replicas: 3, capacityRps: 400 }],
          sensors: { scrapeInterval: '5s' },
        },
        workload: [{ service: 'api', rps: 900 }],
        faults: [
          {
            at: '60s',
            kind: 'performance-degradation',
            target: 'node-1',
            latencyFactor: 5,
            capacityFactor: '40%',
            duration: '5m',
          },
        ],
      },
      CONFIG,
      { keepTrace: true },
    );

    loop.runContinuous(120_000);

    const m = world.outcome().measures[0];
    const alerts = traceOf(world.trace.recordedLines, 'mapek.alert');
    // The 65 s scrape is the first to show the slow replicas; the next regular cycle would start at 70 s.
    expect(alerts[0]?.t).toBe(65_000);
    expect(m?.diagnosis).toBe('PerformanceDegradation');
    expect(m?.detectedAtMs).toBeGreaterThanOrEqual(65_000);
    expect(m?.detectedAtMs).toBeLessThan(70_000);
  });

  it('a diagnosis deferred for the lagging cloud API is settled when the API catches up, not a cycle later', () => {
    // node-2 heartbeats at x.919 s; cut off at 58 s, its 58.919 beat never arrives. At the 60 s cycle it is
    // suspect but the API (2 s behind) cannot yet rule out a crash; from 60.919 s it can.
    const { loop, world } = worldWithLoop(
      { faults: [{ at: '58s', kind: 'network-partition', isolate: 'node-2', duration: '5m' }] },
      CONFIG,
      { keepTrace: true },
    );

    const cycles = loop.runContinuous(80_000);

    const starts = (cycles.ok ? cycles.value : []).map((c) => c.startedAtMs).filter((t) => t >= 60_000);
    const m = world.outcome().measures[0];
    expect(starts.slice(0, 2)).toEqual([60_000, 60_919]);
    expect(m?.diagnosis).toBe('NetworkPartition');
    expect(m?.detectedAtMs).toBeLessThan(62_000);
  });
});
