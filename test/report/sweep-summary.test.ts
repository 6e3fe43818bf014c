import { describe, expect, it } from 'vitest';
import { summarizeSweep } from '../../src/report/sweep-summary.ts';
import { journalOf } from './support.ts';

describe('a sweep over seeds', () => {
  const journals = [1, 2, 3].map((seed) => journalOf('random-noop.yaml', seed));

  it('pools MTTR over every impactful fault of every seed', () => {
    const s = summarizeSweep(journals);

    const recovered = journals.flatMap((j) => j.faults.filter((f) => f.impact && f.mttrMs !== null));
    expect(s.mttr.count).toBe(recovered.length);
    expect(s.mttr.max).toBe(Math.max(...recovered.map((f) => f.mttrMs ?? 0)));
  });

  it('fails the scenario when any seed fails, and names the seeds', () => {
    const s = summarizeSweep(journals);

    const failed = journals.filter((j) => j.verdict === 'fail').map((j) => j.seed);
    expect(failed.length).toBeGreaterThan(0);
    expect(s.verdict).toBe('fail');
    expect(s.failedSeeds).toEqual(failed);
    expect(s.slos.find((x) => x.name === 'availability')?.missedOn).toEqual(failed);
  });

  it('reports the worst availability over the seeds', () => {
    const s = summarizeSweep(journals);

    expect(s.availabilityMin).toBe(Math.min(...journals.map((j) => j.summary.availability)));
  });

  it('passes when every seed passes', () => {
    const s = summarizeSweep([journalOf('healthy-noop.yaml', 1), journalOf('healthy-noop.yaml', 2)]);

    expect([s.verdict, s.failedSeeds, s.seeds]).toEqual(['pass', [], [1, 2]]);
  });
});
