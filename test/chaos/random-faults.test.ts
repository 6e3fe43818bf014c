import { describe, expect, it } from 'vitest';
import { buildWorld } from '../support/world.ts';

const bigCluster = {
  nodes: { count: 50 },
  services: [{ name: 'api', replicas: 10, capacityRps: 400 }],
};

describe('random fault generator', () => {
  it('injects faults as a Poisson process with the requested mean interval', () => {
    const { world } = buildWorld({
      cluster: bigCluster,
      duration: '24h',
      faults: [
        {
          random: {
            meanInterval: '10m',
            kinds: { 'performance-degradation': 1 },
            maxConcurrent: 100,
            duration: '1m',
          },
        },
      ],
    });

    world.runUntil(24 * 3_600_000);

    // 144 expected; a Poisson count stays within +-4 sigma (48) with overwhelming probability.
    const n = world.outcome().faults.length;
    expect(n).toBeGreaterThan(96);
    expect(n).toBeLessThan(192);
  });

  it('never has more generated faults active than maxConcurrent', () => {
    const { world } = buildWorld({
      cluster: bigCluster,
      faults: [
        {
          random: {
            meanInterval: '1m',
            kinds: { 'network-partition': 1 },
            maxConcurrent: 2,
            duration: { mean: '10m' },
          },
        },
      ],
    });

    world.runUntil(3_600_000);
    const faults = world.outcome().faults;
    const overlapAt = (t: number) =>
      faults.filter((f) => f.injectedAtMs <= t && (f.clearedAtMs ?? Infinity) > t).length;

    expect(faults.length).toBeGreaterThan(3);
    expect(Math.max(...faults.map((f) => overlapAt(f.injectedAtMs)))).toBeLessThanOrEqual(2);
  });

  it('draws only the kinds with a weight, and blast radius count:3 or percent:10 hits that many nodes', () => {
    const { world } = buildWorld({
      cluster: bigCluster,
      faults: [
        {
          random: {
            until: '30m',
            meanInterval: '5m',
            kinds: { 'node-crash': 1 },
            blastRadius: 'count:3',
            maxConcurrent: 100,
          },
        },
        {
          random: {
            from: '30m',
            meanInterval: '5m',
            kinds: { 'resource-exhaustion': 1 },
            blastRadius: 'percent:10',
            maxConcurrent: 100,
          },
        },
      ],
    });

    world.runUntil(3_600_000);
    const faults = world.outcome().faults;
    const crashes = faults.filter((f) => f.kind === 'node-crash');
    const exhaustions = faults.filter((f) => f.kind === 'resource-exhaustion');

    expect(crashes.length + exhaustions.length).toBe(faults.length);
    expect(crashes.every((f) => f.targets.length === 3 && f.injectedAtMs < 30 * 60_000)).toBe(true);
    expect(exhaustions.every((f) => f.targets.length === 5 && f.injectedAtMs >= 30 * 60_000)).toBe(true);
  });

  it('the same seed gives the same fault schedule; another seed another', () => {
    const schedule = (seed: number) => {
      const { world } = buildWorld(
        {
          cluster: bigCluster,
          faults: [
            {
              random: {
                meanInterval: '5m',
                kinds: { 'node-crash': 1, 'performance-degradation': 2 },
                maxConcurrent: 5,
              },
            },
          ],
        },
        seed,
      );
      world.runUntil(3_600_000);
      return world.outcome().faults.map((f) => `${f.injectedAtMs}:${f.kind}:${f.targets.join(',')}`);
    };

    expect(schedule(11)).toEqual(schedule(11));
    expect(schedule(11)).not.toEqual(schedule(12));
  });
});
