import { describe, expect, it } from 'vitest';
import { attributeProfile, type CpuProfile, type ProfileNode } from '../../src/bench/profile-attribution.ts';

const SRC = 'file:///app/src';
const XSTATE = 'file:///app/node_modules/xstate/dist/raise.cjs.js';

/** A call tree given as [id, function, url, children]. */
const tree = (rows: readonly [number, string, string, number[]][]): ProfileNode[] =>
  rows.map(([id, functionName, url, children]) => ({ id, callFrame: { functionName, url }, children }));

// root -> runUntil (kernel) -> { scrape (world), beat (monitor-beat) -> sample (monitor) -> findLast,
//                                xstate send -> phase run -> analyze, effector start (world code) }, GC
const NODES = tree([
  [1, '(root)', '', [2, 9]],
  [2, 'runUntil', `${SRC}/sim/kernel.ts`, [3, 4, 7]],
  [3, 'scrape', `${SRC}/cluster/monitoring.ts`, []],
  [4, 'beat', `${SRC}/mapek/monitor-beat.ts`, [5]],
  [5, 'sample', `${SRC}/mapek/monitor.ts`, [6]],
  [6, 'findLast', `${SRC}/cluster/heartbeats/heartbeats.ts`, []],
  [7, 'send', XSTATE, [8]],
  [8, 'run', `${SRC}/mapek/phase-actors.ts`, [10, 11]],
  [9, '(garbage collector)', '', []],
  [10, 'analyze', `${SRC}/mapek/analysis.ts`, []],
  [11, 'startReboot', `${SRC}/cluster/effectors.ts`, [12]],
  [12, 'schedule', XSTATE, []],
]);

const profile = (samples: number[], deltas: number[]): CpuProfile => ({
  nodes: NODES,
  samples,
  timeDeltas: deltas,
});

describe('attributing a CPU profile to the loop and the world', () => {
  it('gives each sample to the innermost frame a rule claims, the world when none does', () => {
    // Arrange: one sample on each leaf, 10 us apart except the GC's 5 us.
    const p = profile([3, 6, 10, 11, 12, 9, 2], [10, 10, 10, 10, 10, 5, 10]);

    // Act
    const parts = attributeProfile(p);

    // Assert: the monitor's sensor read is the monitor's; a phase's own code and the world code it calls are
    // the phases'; XState's frames are the statechart's even under a phase; the kernel and the scrape the world's.
    expect(parts).toEqual({ monitor: 10, statechart: 10, phases: 20, gc: 5, world: 20, idle: 0 });
  });

  it('counts nothing for a profile without samples', () => {
    expect(attributeProfile(profile([], []))).toEqual({
      monitor: 0,
      statechart: 0,
      phases: 0,
      gc: 0,
      world: 0,
      idle: 0,
    });
  });
});
