import { describe, expect, it } from 'vitest';
import { buildWorld, chaoticWorld } from '../support/world.ts';

const chaotic = { ...chaoticWorld('10m'), duration: '6h' };

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
