import { describe, expect, it } from 'vitest';
import { CrashLoopBackOff } from '../../src/policies/crash-loop-backoff.ts';

const K8S = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** Fails a component every `gapMs` after each restart, `n` times; returns the restart times. */
const crashLoop = (backOff: CrashLoopBackOff, n: number, gapMs: number): number[] => {
  const restarts: number[] = [];
  let failedAt = 0;
  for (let i = 0; i < n; i++) {
    const at = backOff.restartAllowedAt('c', failedAt);
    backOff.recordRestart('c', failedAt, at);
    restarts.push(at);
    failedAt = at + gapMs;
  }
  return restarts;
};

describe('crash-loop back-off', () => {
  it('restarts at once, then waits 10 s, 20 s, 40 s ... capped at 5 minutes', () => {
    const backOff = new CrashLoopBackOff(K8S);

    const restarts = crashLoop(backOff, 9, 1_000);
    const waits = restarts.map((t, i) => t - (i === 0 ? 0 : (restarts[i - 1] ?? 0) + 1_000));

    expect(waits).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('starts over when a component ran for more than 10 minutes before failing again', () => {
    const backOff = new CrashLoopBackOff(K8S);
    crashLoop(backOff, 4, 1_000);

    const afterLongRun = backOff.restartAllowedAt('c', 2_000_000);
    const afterShortRun = new CrashLoopBackOff(K8S);
    crashLoop(afterShortRun, 4, 1_000);

    expect(afterLongRun).toBe(2_000_000);
    expect(afterShortRun.currentBackOffMs('c', 100_000)).toBe(80_000);
  });

  it('keeps one curve per component', () => {
    const backOff = new CrashLoopBackOff(K8S);
    crashLoop(backOff, 3, 1_000);

    expect(backOff.restartAllowedAt('other', 5_000)).toBe(5_000);
  });
});
