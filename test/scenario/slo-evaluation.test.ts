import { describe, expect, it } from 'vitest';
import type { FaultId, FaultRecord } from '../../src/chaos/ground-truth.ts';
import type { NodeId } from '../../src/cluster/ids.ts';
import type { FaultMeasures } from '../../src/measures/fault-measures.ts';
import type { SloSpec } from '../../src/scenario/schema/slo.ts';
import { evaluateSlos, recoverySuccessRate } from '../../src/scenario/slo-evaluation.ts';
import type { WorldOutcome } from '../../src/world/outcome.ts';

interface FaultCase {
  readonly injectedAtMs: number;
  readonly impactStartMs: number | null;
  readonly mttdMs: number | null;
  readonly mttrMs: number | null;
}

/** A run of `endMs` with the given faults, otherwise perfect. */
const outcomeWith = (faults: readonly FaultCase[], endMs = 600_000, extra: Partial<WorldOutcome> = {}) => {
  const records: FaultRecord[] = faults.map((f, i) => ({
    id: `f${i + 1}` as FaultId,
    kind: 'node-crash',
    origin: 'timeline',
    targets: ['node-1' as NodeId],
    components: ['node-1'],
    detail: {},
    injectedAtMs: f.injectedAtMs,
    clearedAtMs: null,
  }));
  const measures: FaultMeasures[] = faults.map((f, i) => ({
    id: `f${i + 1}` as FaultId,
    impact: f.impactStartMs !== null,
    impactStartMs: f.impactStartMs,
    detectedAtMs: f.mttdMs === null ? null : f.injectedAtMs + f.mttdMs,
    diagnosis: f.mttdMs === null ? null : 'NodeCrash',
    mttdMs: f.mttdMs,
    recoveredAtMs: f.mttrMs === null ? null : (f.impactStartMs ?? f.injectedAtMs) + f.mttrMs,
    mttrMs: f.mttrMs,
    actions: [],
  }));
  const outcome: WorldOutcome = {
    endMs,
    faults: records,
    measures,
    availability: 1,
    maxDegradation: { service: '', windowStartMs: 0, degradation: 0 },
    lostWrites: 0,
    splitBrainMs: 0,
    actions: [],
    actionCost: 0,
    levelChanges: [],
    traceHash: '0'.repeat(64),
    events: 0,
    ...extra,
  };
  return outcome;
};

const judge = (
  slo: SloSpec,
  outcome: WorldOutcome,
  phaseMaxMs?: { analysis: number; planning: number; execution: number },
) =>
  evaluateSlos({
    slo,
    outcome,
    controller: phaseMaxMs === undefined ? null : { cycles: 10, phaseMaxMs },
    policy: 'test',
  });

const only = <T>(list: readonly T[]): T => {
  expect(list).toHaveLength(1);
  const [x] = list;
  if (x === undefined) throw new Error('empty');
  return x;
};

describe('detection SLO', () => {
  it('passes when every impactful fault is detected within the target, reporting the worst', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 60_000, impactStartMs: 60_000, mttdMs: 4_000, mttrMs: 10_000 },
      { injectedAtMs: 120_000, impactStartMs: 120_000, mttdMs: 9_000, mttrMs: 10_000 },
    ]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({
      name: 'detection',
      comparison: '<=',
      target: 10_000,
      actual: 9_000,
      pass: true,
    });
  });

  it('fails on one fault detected too late and names it', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 60_000, impactStartMs: 60_000, mttdMs: 4_000, mttrMs: 10_000 },
      { injectedAtMs: 120_000, impactStartMs: 120_000, mttdMs: 11_000, mttrMs: 10_000 },
    ]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({ pass: false, actual: 11_000, missed: ['f2'] });
  });

  it('fails with no actual value when an impactful fault is never detected', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 60_000, impactStartMs: 60_000, mttdMs: null, mttrMs: 50_000 },
    ]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({ pass: false, actual: null, missed: ['f1'], note: 'never detected: f1' });
  });

  it('fails detection on an undetected blip, however soon its harm was over (issue 11)', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 60_000, impactStartMs: 60_000, mttdMs: null, mttrMs: 2_000 },
    ]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({ pass: false, exempt: [], missed: ['f1'] });
  });

  it('times detection from when a slow-burning fault started to hurt', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 60_000, impactStartMs: 300_000, mttdMs: 245_000, mttrMs: 8_000 },
    ]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({ pass: true, actual: 5_000 });
  });

  it('exempts a fault without impact, even undetected', () => {
    const outcome = outcomeWith([{ injectedAtMs: 60_000, impactStartMs: null, mttdMs: null, mttrMs: 0 }]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({ pass: true, exempt: ['f1'], missed: [] });
  });

  it('exempts an undetected fault whose deadline lies past the end of the run', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 595_000, impactStartMs: 595_000, mttdMs: null, mttrMs: null },
    ]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({ pass: true, exempt: ['f1'] });
  });

  it('judges an undetected fault whose deadline fell inside the run', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 589_000, impactStartMs: 589_000, mttdMs: null, mttrMs: null },
    ]);

    const r = only(judge({ detectionMs: 10_000 }, outcome));

    expect(r).toMatchObject({ pass: false, missed: ['f1'] });
  });
});

describe('recovery SLO', () => {
  it('measures from when the fault started to hurt and fails a slow recovery', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 60_000, impactStartMs: 300_000, mttdMs: 1_000, mttrMs: 45_000 },
    ]);

    const r = only(judge({ recoveryMs: 30_000 }, outcome));

    expect(r).toMatchObject({ name: 'recovery', actual: 45_000, pass: false, missed: ['f1'] });
  });

  it('fails a fault never recovered when the run left it the time', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 60_000, impactStartMs: 60_000, mttdMs: 1_000, mttrMs: null },
    ]);

    const r = only(judge({ recoveryMs: 30_000 }, outcome));

    expect(r).toMatchObject({ pass: false, actual: null, note: 'never recovered: f1' });
  });
});

describe('run-wide SLOs', () => {
  it('availability passes at exactly the target and fails just below it', () => {
    const at = only(judge({ availability: 0.999 }, outcomeWith([], 1, { availability: 0.999 })));
    const below = only(judge({ availability: 0.999 }, outcomeWith([], 1, { availability: 0.9989 })));

    expect([at.pass, below.pass]).toEqual([true, false]);
    expect(below).toMatchObject({ comparison: '>=', unit: 'ratio', actual: 0.9989 });
  });

  it('max degradation compares the worst window and says where it was', () => {
    const outcome = outcomeWith([], 1, {
      maxDegradation: { service: 'api', windowStartMs: 120_000, degradation: 0.25 },
    });

    const r = only(judge({ maxDegradation: 0.2 }, outcome));

    expect(r).toMatchObject({ pass: false, actual: 0.25 });
    expect(r.note).toMatch(/api/);
  });

  it('data loss and split brain compare counts and time', () => {
    const outcome = outcomeWith([], 1, { lostWrites: 3, splitBrainMs: 0 });

    const results = judge({ dataLoss: 0, splitBrainMs: 0 }, outcome);

    expect(results.map((r) => [r.name, r.actual, r.pass])).toEqual([
      ['dataLoss', 3, false],
      ['splitBrain', 0, true],
    ]);
  });

  it('recovery success rate counts impactful faults recovered within the recovery target', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 10_000, impactStartMs: 10_000, mttdMs: 1, mttrMs: 20_000 },
      { injectedAtMs: 20_000, impactStartMs: 20_000, mttdMs: 1, mttrMs: 40_000 },
      { injectedAtMs: 30_000, impactStartMs: null, mttdMs: null, mttrMs: 0 },
      { injectedAtMs: 40_000, impactStartMs: 40_000, mttdMs: 1, mttrMs: 25_000 },
    ]);

    const r = judge({ recoveryMs: 30_000, recoverySuccessRate: 0.95 }, outcome).find(
      (x) => x.name === 'recoverySuccessRate',
    );

    expect(r).toMatchObject({ actual: 2 / 3, pass: false });
  });

  it('recovery success rate without a recovery target counts recoveries at all', () => {
    const outcome = outcomeWith([
      { injectedAtMs: 10_000, impactStartMs: 10_000, mttdMs: 1, mttrMs: 200_000 },
      { injectedAtMs: 20_000, impactStartMs: 20_000, mttdMs: 1, mttrMs: null },
    ]);

    expect(recoverySuccessRate(outcome, undefined)).toBe(0.5);
  });

  it('recovery success rate is 1 with no impactful fault', () => {
    expect(recoverySuccessRate(outcomeWith([]), 30_000)).toBe(1);
  });
});

describe('phase budgets', () => {
  it('compare the longest phase times the controller reports', () => {
    const results = judge(
      { phases: { analysisMs: 100, planningMs: 100, executionMs: 5_000 } },
      outcomeWith([]),
      { analysis: 50, planning: 150, execution: 5_000 },
    );

    expect(results.map((r) => [r.name, r.actual, r.pass])).toEqual([
      ['phases.analysis', 50, true],
      ['phases.planning', 150, false],
      ['phases.execution', 5_000, true],
    ]);
  });

  it('are not applicable, and pass, when the controller reports no phases', () => {
    const r = only(judge({ phases: { analysisMs: 100 } }, outcomeWith([])));

    expect(r).toMatchObject({ name: 'phases.analysis', actual: null, pass: true });
    expect(r.note).toMatch(/not applicable/);
  });
});

it('judges only the SLOs the scenario sets', () => {
  expect(judge({}, outcomeWith([]))).toEqual([]);
});
