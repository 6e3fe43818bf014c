import { describe, expect, it } from 'vitest';
import { type CommandSummary, commandCases, commandFigures } from '../../src/bench/command-summary.ts';
import { checkTargets, type TargetInputs } from '../../src/bench/targets.ts';
import { throughputReport } from '../../src/bench/throughput-summary.ts';

/** The timed explore command of a bench (full or quick), as if it took `wallMs` and exited with `exitCode`. */
const timed = (quick: boolean, wallMs: number, exitCode = 0): CommandSummary => {
  const c = commandCases(quick).find((x) => x.case.id === 'explore-2');
  if (c === undefined) throw new Error('no explore case');
  return {
    ...c.case,
    wallMs,
    cpuMs: wallMs,
    peakRssMb: 100,
    exitCode,
    runs: 'dist',
    repeats: 1,
    wallMsAll: [wallMs],
  };
};

const verdict = (summary: CommandSummary) => {
  const inputs: TargetInputs = {
    recovery: [],
    singleFault: [],
    throughput: throughputReport([], commandFigures([summary])),
  };
  return checkTargets(inputs).find((t) => t.id === 'explore-throughput');
};

describe('the explore throughput target', () => {
  it('times 1,000 schedules on 2 workers, against 15 s', () => {
    expect(verdict(timed(false, 12_970))?.status).toBe('PASS');
    expect(verdict(timed(false, 12_970))?.detail).toBe(
      '1,000 schedules on 2 workers: 12970 ms (goal < 15000 ms)',
    );
    expect(verdict(timed(false, 15_000))?.status).toBe('MISS');
  });

  it('scales the goal to the 200 schedules of --quick', () => {
    expect(verdict(timed(true, 2_900))?.status).toBe('PASS');
    expect(verdict(timed(true, 3_100))?.detail).toBe(
      '200 schedules on 2 workers: 3100 ms (goal < 3000 ms, scaled from 1,000 in 15000 ms)',
    );
  });

  it('is a miss when the search did not pass every schedule (a fast failure is not a fast search)', () => {
    expect(verdict(timed(false, 1_000, 1))?.status).toBe('MISS');
    expect(verdict(timed(false, 1_000, 1))?.detail).toContain('exit 1');
  });
});
