import { describe, expect, it } from 'vitest';
import { compactCycles, cycleCounts, expandCycles } from '../../src/timeline/cycle-runs.ts';
import type { TimelineCycle } from '../../src/timeline/timeline-cycle.ts';
import { recordedRun } from '../report/html/support.ts';

const quiet = (cycle: number, startedAtMs: number): TimelineCycle => ({
  cycle,
  startedAtMs,
  monitorMs: 200,
  analyzeMs: 0,
  planMs: 0,
  executeMs: 0,
  totalMs: 200,
  status: 'quiet',
  failures: 0,
  planned: [],
  dispatched: 0,
});

const acted = (cycle: number, startedAtMs: number): TimelineCycle => ({
  ...quiet(cycle, startedAtMs),
  analyzeMs: 50,
  planMs: 50,
  executeMs: 100,
  totalMs: 400,
  status: 'acted',
  failures: 1,
  planned: ['NodeCrash:node-2 restart-node'],
  dispatched: 1,
});

describe('cycle runs', () => {
  it('keep a cadence of quiet cycles as one run and every busy cycle whole', () => {
    // Arrange: four quiet cycles 5 s apart, a busy one, an early wake 260 ms later, two more on the cadence.
    const cycles = [
      quiet(1, 0),
      quiet(2, 5_000),
      quiet(3, 10_000),
      quiet(4, 15_000),
      acted(5, 20_000),
      quiet(6, 20_260),
      quiet(7, 25_260),
      quiet(8, 30_260),
    ];

    // Act
    const compact = compactCycles(cycles);

    // Assert
    expect(compact.busyCycles).toEqual([cycles[4]]);
    expect(compact.quietCycles.map((r) => [r.cycle, r.startedAtMs, r.count, r.periodMs])).toEqual([
      [1, 0, 4, 5_000],
      [6, 20_260, 3, 5_000],
    ]);
  });

  it('start a new run where the period, the phase times or the status change', () => {
    const watching: TimelineCycle = { ...quiet(4, 15_000), analyzeMs: 50, totalMs: 250, status: 'watching' };
    const cycles = [quiet(1, 0), quiet(2, 5_000), quiet(3, 7_000), watching, quiet(5, 20_000)];

    const compact = compactCycles(cycles);

    expect(compact.quietCycles.map((r) => [r.cycle, r.count, r.status])).toEqual([
      [1, 2, 'quiet'],
      [3, 1, 'quiet'],
      [4, 1, 'watching'],
      [5, 1, 'quiet'],
    ]);
    expect(cycleCounts(compact)).toEqual({ quiet: 4, watching: 1, busy: 0 });
  });

  it('expand back to the very records they were made of', () => {
    const cycles = [quiet(1, 0), quiet(2, 5_000), acted(3, 10_000), acted(4, 15_000), quiet(5, 20_000)];

    expect(expandCycles(compactCycles(cycles))).toEqual(cycles);
  });
});

describe("a run's recorded cycles", () => {
  it('are every cycle the loop counted, numbered without a gap, in far fewer records', () => {
    // Arrange
    const { journal } = recordedRun('memory-leak-oom.yaml');
    const compact = {
      busyCycles: journal.timeline?.busyCycles ?? [],
      quietCycles: journal.timeline?.quietCycles ?? [],
    };

    // Act
    const all = expandCycles(compact);

    // Assert
    const counted = journal.controller?.cycles ?? 0;
    expect(counted).toBeGreaterThan(100);
    expect(all.map((c) => c.cycle)).toEqual(Array.from({ length: counted }, (_, i) => i + 1));
    expect(compact.busyCycles.length + compact.quietCycles.length).toBeLessThan(counted / 5);
  });
});
