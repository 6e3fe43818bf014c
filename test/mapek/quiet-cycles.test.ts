import { describe, expect, it } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import { traceOf, worldWithLoop } from '../support/mapek.ts';

const CONFIG = MapekConfig.create().withCycleInterval(10_000);

describe('quiet cycles stay with the monitor', () => {
  it('a healthy minute is six cycles, each with its result and history record, and no actor event', () => {
    // Arrange
    const { loop, world } = worldWithLoop({}, CONFIG, { keepTrace: true });

    // Act
    const cycles = loop.runContinuous(60_000);

    // Assert
    const all = cycles.ok ? cycles.value : [];
    expect(all.map((c) => c.startedAtMs)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(all.every((c) => c.detectionTimeMs === CONFIG.monitorTimeMs && c.analysisTimeMs === 0)).toBe(true);
    expect(traceOf(world.trace.recordedLines, 'mapek.event')).toEqual([]);
    expect(loop.exportKnowledge().history.map((h) => h.cycle)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a cycle with symptoms runs the whole actor protocol, after the quiet records reach knowledge', () => {
    // Arrange
    const { loop, world } = worldWithLoop(
      { faults: [{ at: '25s', kind: 'node-crash', target: 'node-1' }] },
      CONFIG,
      { keepTrace: true },
    );

    // Act
    loop.runContinuous(40_000);

    // Assert
    const events = traceOf(world.trace.recordedLines, 'mapek.event').map(
      (e) => `${e.source}->${e.target} ${e.event}`,
    );
    expect(events.slice(0, 3)).toEqual([
      'monitor->knowledge knowledge.cycles',
      'monitor->loop monitor.done',
      'loop->analyze analyze.run',
    ]);
    expect(events).toContain('loop->monitor monitor.next');
    // Analysis names the crash as it runs, right after the 30 s cycle's monitor phase.
    expect(world.outcome().measures[0]?.detectedAtMs).toBe(30_000 + CONFIG.monitorTimeMs);
  });
});
