import { describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from '../../src/base/package-version.ts';
import { JOURNAL_FORMAT, withoutWall } from '../../src/report/journal.ts';
import { readJournals } from '../../src/report/journal-reader.ts';
import { journalOf } from './support.ts';

describe('the journal of a run', () => {
  it('records the scenario as loaded, the seed, the policy, the version and the verdict', () => {
    const j = journalOf('crash-noop.yaml');

    expect(j).toMatchObject({
      format: JOURNAL_FORMAT,
      mapekVersion: PACKAGE_VERSION,
      seed: 7,
      policy: 'noop',
      durationMs: 180_000,
      verdict: 'fail',
    });
    expect(j.scenario.name).toBe('crash-noop');
    expect(j.scenario.file).toMatch(/crash-noop\.yaml$/);
    expect((j.scenario.input as { duration: string }).duration).toBe('3m');
    expect(j.scenario.resolved.durationMs).toBe(180_000);
  });

  it('records each SLO with target, actual and pass', () => {
    const j = journalOf('crash-noop.yaml');

    expect(j.slos.find((s) => s.name === 'availability')).toMatchObject({
      target: 0.9999,
      pass: false,
      actual: j.summary.availability,
    });
  });

  it('records each fault with its measures in sim milliseconds', () => {
    const [f] = journalOf('crash-noop.yaml').faults;

    expect(f).toMatchObject({
      id: 'f1',
      kind: 'node-crash',
      targets: ['node-1'],
      injectedAtMs: 30_000,
      impact: true,
      detectedAtMs: null,
      mttdMs: null,
      diagnosis: null,
      actions: [],
    });
  });

  it('summarises the run', () => {
    const j = journalOf('random-noop.yaml');

    const impactful = j.faults.filter((f) => f.impact);
    expect(j.summary.faults).toBe(j.faults.length);
    expect(j.summary.impactfulFaults).toBe(impactful.length);
    expect(j.summary.mttrP50Ms).not.toBeNull();
    expect(j.summary.maxDegradationPercent).toBeGreaterThan(0);
    expect(j.summary.maxDegradationPercent).toBeLessThanOrEqual(100);
    expect(j.summary.lostWrites).toBe(0);
  });

  it('keeps wall-clock facts in the wall block only', () => {
    const j = journalOf('healthy-noop.yaml');

    expect(j.wall).toEqual({ wallMs: 10, simSpeedup: 60_000 });
    expect(JSON.stringify(withoutWall(j))).not.toMatch(/wallMs|simSpeedup/);
  });
});

describe('reading journals back for replay', () => {
  it('reads one journal or an array of them', () => {
    const j = journalOf('crash-noop.yaml');

    const one = readJournals(JSON.stringify(j), 'j.json');
    const many = readJournals(JSON.stringify([j, j]), 'j.json');

    expect(one.ok ? one.value.map((r) => [r.seed, r.policy, r.traceHash]) : null).toEqual([
      [7, 'noop', j.traceHash],
    ]);
    expect(many.ok ? many.value.length : 0).toBe(2);
  });

  it('refuses something that is not a journal, saying which field', () => {
    const j = journalOf('crash-noop.yaml');

    const r = readJournals(JSON.stringify({ ...j, seed: 'seven' }), 'j.json');

    expect(r.ok ? null : r.error).toMatchObject({
      kind: 'invalid-journal',
      message: expect.stringMatching(/seed/),
    });
  });

  it('refuses text that is not JSON', () => {
    const r = readJournals('{ not json', 'j.json');

    expect(r.ok ? null : r.error.message).toMatch(/^not JSON/);
  });
});
