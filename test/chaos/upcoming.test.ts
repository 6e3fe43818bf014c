import { describe, expect, it } from 'vitest';
import type { TimedFault } from '../../src/chaos/spec.ts';
import { nextHitMs, upcomingFaults } from '../../src/chaos/upcoming.ts';

const TIMELINE: TimedFault[] = [
  {
    atMs: 190_000,
    kind: 'network-partition',
    split: { kind: 'isolate', target: { kind: 'nodes', nodes: ['node-1'] } },
    direction: 'both',
    durationMs: 10_000,
  },
  { atMs: 60_000, kind: 'node-crash', target: { kind: 'nodes', nodes: ['node-2'] } },
  { atMs: 300_000, kind: 'node-crash', target: { kind: 'primary-of', service: 'orders' } },
  { atMs: 120_000, kind: 'load-spike', services: [], factor: 2, durationMs: 60_000 },
];

describe('the timeline ahead, as the oracle reads it', () => {
  it('lists the faults still to land, earliest first, with the nodes their file names', () => {
    // Act
    const ahead = upcomingFaults(TIMELINE, 60_000);

    // Assert: the crash at 60 s has landed; a spike names no node; primary-of is known only when it lands.
    expect(ahead).toEqual([
      { atMs: 120_000, kind: 'load-spike', nodes: [] },
      { atMs: 190_000, kind: 'network-partition', nodes: ['node-1'] },
      { atMs: 300_000, kind: 'node-crash', nodes: null },
    ]);
  });

  it('the next hit of a node is its first named fault, or the first whose target is not known yet', () => {
    // Arrange
    const ahead = upcomingFaults(TIMELINE, 60_000);

    // Act / Assert
    expect(nextHitMs(ahead, 'node-1')).toBe(190_000);
    expect(nextHitMs(ahead, 'node-3')).toBe(300_000);
    expect(nextHitMs(upcomingFaults(TIMELINE, 300_000), 'node-1')).toBe(Number.POSITIVE_INFINITY);
  });
});
