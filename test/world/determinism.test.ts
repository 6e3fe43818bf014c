import { describe, expect, it } from 'vitest';
import { buildWorld } from '../support/world.ts';

const chaotic = {
  duration: '6h',
  cluster: {
    nodes: { count: 12 },
    services: [
      { name: 'api', replicas: 6, capacityRps: 400 },
      { name: 'orders', replicas: 3, capacityRps: 300, stateful: { replication: 'async' } },
    ],
  },
  workload: [
    { service: 'api', rps: 1500, shape: 'diurnal' },
    { service: 'orders', rps: 400, writeRatio: '25%' },
  ],
  faults: [
    {
      random: {
        meanInterval: '10m',
        kinds: {
          'node-crash': 1,
          'network-partition': 1,
          'resource-exhaustion': 1,
          'performance-degradation': 1,
        },
        maxConcurrent: 3,
        duration: { mean: '3m' },
      },
    },
  ],
};

const run = (seed: number) => {
  const { world } = buildWorld(chaotic, seed);
  world.runUntil(6 * 3_600_000);
  return world.outcome();
};

describe('determinism', () => {
  it('a world with random chaos gives the same trace hash for the same seed', () => {
    const first = run(42);
    const second = run(42);

    expect(first.faults.length).toBeGreaterThan(5);
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.events).toBe(first.events);
    expect(second.availability).toBe(first.availability);
  });

  it('another seed gives another trace', () => {
    expect(run(43).traceHash).not.toBe(run(42).traceHash);
  });
});
