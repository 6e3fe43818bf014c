import { describe, expect, it } from 'vitest';
import { checkTargets, type TargetInputs } from '../../src/bench/targets.ts';
import { summarizeCase, throughputReport } from '../../src/bench/throughput-summary.ts';

/** The 24 h x 50-node throughput world timed at these wall times with the loop and without a controller. */
const inputs = (mapekMs: number, noopMs: number): TargetInputs => {
  const run = (policy: string, wallMs: number) =>
    summarizeCase([
      {
        nodes: 50,
        hours: 24,
        policy,
        wallMs,
        cpuMs: wallMs,
        speedup: 1,
        events: 1,
        eventsPerSecond: 1,
        faults: 0,
        peakRssMb: 1,
      },
    ]);
  return {
    recovery: [],
    singleFault: [],
    throughput: throughputReport([run('mapek', mapekMs), run('noop', noopMs)]),
  };
};
const verdict = (i: TargetInputs, id: string) => checkTargets(i).find((t) => t.id === id);

describe('the loop throughput targets', () => {
  it("judges issue 3's goal (2 s, 3x) and issue 17's (0.5 s, 2x) on the same measurement", () => {
    const measured = inputs(859, 305);

    expect(verdict(measured, 'loop-throughput')?.status).toBe('PASS');
    expect(verdict(measured, 'quiet-loop')?.status).toBe('MISS');
    expect(verdict(measured, 'quiet-loop')?.detail).toBe(
      '50 nodes, 24 h: with the loop 859 ms, no controller 305 ms: 2.82x, CPU time 2.82x (goals < 500 ms and < 2x)',
    );
  });

  it('passes the quiet-loop goal only under both limits', () => {
    expect(verdict(inputs(450, 300), 'quiet-loop')?.status).toBe('PASS');
    expect(verdict(inputs(450, 200), 'quiet-loop')?.status).toBe('MISS');
    expect(verdict(inputs(520, 300), 'quiet-loop')?.status).toBe('MISS');
  });

  it('is not run when the bench did not time the world', () => {
    const none: TargetInputs = { recovery: [], singleFault: [], throughput: throughputReport([]) };

    expect(verdict(none, 'quiet-loop')?.status).toBe('NOT RUN');
  });
});
