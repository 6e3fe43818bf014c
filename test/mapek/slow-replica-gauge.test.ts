import { describe, expect, it } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import { traceOf, worldWithLoop } from '../support/mapek.ts';

const CONFIG = MapekConfig.create().withCycleInterval(2_000);

/** api on 3 x 400 rps at 900 rps; node-1 turns five times slower at `at`, 40 % of its capacity. */
const slowNodeAt = (at: string) => ({
  cluster: {
    nodes: { count: 6 },
    services: [{ name: 'api', replicas: 3, capacityRps: 400 }],
    sensors: { scrapeInterval: '5s' },
  },
  workload: [{ service: 'api', rps: 900 }],
  faults: [
    {
      at,
      kind: 'performance-degradation',
      target: 'node-1',
      latencyFactor: 5,
      capacityFactor: '40%',
      duration: '5m',
    },
  ],
});

describe('the p99 gauge of a scrape', () => {
  it('wakes the loop at the scrape that shows a node turned slow 100 ms before it, not at the next cycle', () => {
    // Arrange: the 65 s scrape's interval mean holds 0.1 s of the slowness out of 5 and sets off no alert; its
    // p99 gauge is all slowness. Cycles start every 2 s, the next at 66 s.
    const { loop, world } = worldWithLoop(slowNodeAt('64.9s'), CONFIG, { keepTrace: true });

    // Act
    loop.runContinuous(90_000);

    // Assert: the alert at 65 s starts the cycle that names node-1 (without the gauge: the 66 s cycle)
    const m = world.outcome().measures[0];
    expect(traceOf(world.trace.recordedLines, 'mapek.alert')[0]?.t).toBe(65_000);
    expect(m?.diagnosis).toBe('PerformanceDegradation');
    expect(m?.detectedAtMs).toBe(65_200);
  });
});
