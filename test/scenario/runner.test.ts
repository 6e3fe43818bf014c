import { describe, expect, it } from 'vitest';
import { buildJournal, withoutWall } from '../../src/report/journal.ts';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

const load = (name: string) => {
  const r = loadScenarioFile(new URL(`../fixtures/${name}`, import.meta.url).pathname);
  if (!r.ok) throw new Error(`fixture ${name} is invalid: ${r.error.message}`);
  return r.value;
};

const run = (name: string, options: Parameters<typeof runScenario>[1] = {}) => {
  const r = runScenario(load(name).scenario, options);
  if (!r.ok) throw new Error(`run failed: ${r.error.message}`);
  return r.value;
};

describe('runScenario', () => {
  it('runs for the scenario duration and judges its SLOs on ground truth', () => {
    const result = run('crash-noop.yaml');

    expect(result.outcome.endMs).toBe(180_000);
    expect(result.slos.map((s) => [s.name, s.pass])).toEqual([
      ['detection', false],
      ['availability', false],
      ['dataLoss', true],
    ]);
    expect(result.verdict).toBe('fail');
  });

  it('passes when every SLO is met', () => {
    const result = run('healthy-noop.yaml');

    expect(result.verdict).toBe('pass');
  });

  it('uses the scenario seed unless told otherwise', () => {
    expect([run('crash-noop.yaml').seed, run('crash-noop.yaml', { seed: 99 }).seed]).toEqual([7, 99]);
  });

  it('keeps the trace lines only when asked, and hashes them either way', () => {
    const kept = run('random-noop.yaml', { keepTrace: true });
    const hashed = run('random-noop.yaml');

    expect(kept.traceLines.length).toBeGreaterThan(3);
    expect(hashed.traceLines).toEqual([]);
    expect(hashed.outcome.traceHash).toBe(kept.outcome.traceHash);
  });

  it('is deterministic: the same seed gives the same journal outside the wall block', () => {
    const loaded = load('random-noop.yaml');

    const a = buildJournal(run('random-noop.yaml', { seed: 5 }), loaded, { wallMs: 1 });
    const b = buildJournal(run('random-noop.yaml', { seed: 5 }), loaded, { wallMs: 2 });

    expect(JSON.stringify(withoutWall(a))).toBe(JSON.stringify(withoutWall(b)));
  });

  it('gives another trace for another seed', () => {
    expect(run('random-noop.yaml', { seed: 1 }).outcome.traceHash).not.toBe(
      run('random-noop.yaml', { seed: 2 }).outcome.traceHash,
    );
  });
});
