import { describe, expect, it } from 'vitest';
import type { FaultId, FaultRecord } from '../../src/chaos/ground-truth.ts';
import type { NodeId } from '../../src/cluster/ids.ts';
import type { FaultMeasures } from '../../src/measures/fault-measures.ts';
import type { SloSpec } from '../../src/scenario/schema/slo.ts';
import { evaluateSlos, type SloName, type SloResult } from '../../src/scenario/slo-evaluation.ts';
import type { WorldOutcome } from '../../src/world/outcome.ts';

/**
 * Every SLO comparison, exactly at its target and one unit either side: a millisecond for times, one
 * write for counts, a ten-thousandth for ratios. docs/scenarios.md documents each as `<=` or `>=`, so a
 * value exactly at its target passes. The comparison table is data: a new SLO is one new row.
 */

const INJECTED = 60_000;

/** One impactful fault, injected and hurting at 1 min, detected and recovered as given. */
const faultOutcome = (mttdMs: number | null, mttrMs: number | null, endMs = 3_600_000): WorldOutcome => {
  const id = 'f1' as FaultId;
  const record: FaultRecord = {
    id,
    kind: 'node-crash',
    origin: 'timeline',
    targets: ['node-1' as NodeId],
    components: ['node-1'],
    detail: {},
    injectedAtMs: INJECTED,
    clearedAtMs: null,
  };
  const measures: FaultMeasures = {
    id,
    impact: true,
    impactStartMs: INJECTED,
    detectedAtMs: mttdMs === null ? null : INJECTED + mttdMs,
    diagnosis: mttdMs === null ? null : 'NodeCrash',
    mttdMs,
    recoveredAtMs: mttrMs === null ? null : INJECTED + mttrMs,
    mttrMs,
    actions: [],
  };
  return {
    endMs,
    faults: [record],
    measures: [measures],
    availability: 1,
    maxDegradation: { service: '', windowStartMs: 0, degradation: 0 },
    lostWrites: 0,
    splitBrainMs: 0,
    actions: [],
    actionCost: 0,
    levelChanges: [],
    traceHash: '0'.repeat(64),
    events: 0,
  };
};

const judgeOne = (
  slo: SloSpec,
  outcome: WorldOutcome,
  name: SloName,
  phaseMaxMs?: { analysis: number; planning: number; execution: number },
): SloResult => {
  const results = evaluateSlos({
    slo,
    outcome,
    controller: phaseMaxMs === undefined ? null : { cycles: 1, phaseMaxMs },
    policy: 'test',
  });
  const r = results.find((x) => x.name === name);
  if (r === undefined) throw new Error(`${name} was not judged`);
  return r;
};

interface Boundary {
  readonly name: SloName;
  readonly comparison: '<=' | '>=';
  readonly target: number;
  /** The smallest step of the SLO's unit the test moves the actual value by. */
  readonly unit: number;
  /** The SLO result when the run's actual value is `actual`. */
  readonly judge: (target: number, actual: number) => SloResult;
}

const phases = (analysis: number, planning: number, execution: number) => ({ analysis, planning, execution });

const BOUNDARIES: readonly Boundary[] = [
  {
    name: 'detection',
    comparison: '<=',
    target: 10_000,
    unit: 1,
    judge: (t, a) => judgeOne({ detectionMs: t }, faultOutcome(a, a + 60_000), 'detection'),
  },
  {
    name: 'recovery',
    comparison: '<=',
    target: 120_000,
    unit: 1,
    judge: (t, a) => judgeOne({ recoveryMs: t }, faultOutcome(5_000, a), 'recovery'),
  },
  {
    name: 'availability',
    comparison: '>=',
    target: 0.999,
    unit: 1e-4,
    judge: (t, a) =>
      judgeOne({ availability: t }, { ...faultOutcome(1, 1), availability: a }, 'availability'),
  },
  {
    name: 'maxDegradation',
    comparison: '<=',
    target: 0.2,
    unit: 1e-4,
    judge: (t, a) =>
      judgeOne(
        { maxDegradation: t },
        { ...faultOutcome(1, 1), maxDegradation: { service: 'api', windowStartMs: 60_000, degradation: a } },
        'maxDegradation',
      ),
  },
  {
    // The rate itself: two faults, one recovered within the recovery target, one never (rate 1/2).
    name: 'recoverySuccessRate',
    comparison: '>=',
    target: 0.5,
    unit: 1e-4,
    judge: (t, a) => {
      const base = faultOutcome(5_000, 10_000);
      const [m] = base.measures;
      const [f] = base.faults;
      if (m === undefined || f === undefined) throw new Error('no fault');
      const f2 = 'f2' as FaultId;
      const outcome: WorldOutcome = {
        ...base,
        faults: [f, { ...f, id: f2 }],
        measures: [m, { ...m, id: f2, recoveredAtMs: null, mttrMs: null }],
      };
      // The rate is 1/2 whatever the target: move the target instead of the actual value.
      return judgeOne({ recoverySuccessRate: t + (0.5 - a) }, outcome, 'recoverySuccessRate');
    },
  },
  {
    name: 'dataLoss',
    comparison: '<=',
    target: 10,
    unit: 1,
    judge: (t, a) => judgeOne({ dataLoss: t }, { ...faultOutcome(1, 1), lostWrites: a }, 'dataLoss'),
  },
  {
    name: 'splitBrain',
    comparison: '<=',
    target: 2_000,
    unit: 1,
    judge: (t, a) => judgeOne({ splitBrainMs: t }, { ...faultOutcome(1, 1), splitBrainMs: a }, 'splitBrain'),
  },
  {
    name: 'phases.analysis',
    comparison: '<=',
    target: 500,
    unit: 1,
    judge: (t, a) =>
      judgeOne({ phases: { analysisMs: t } }, faultOutcome(1, 1), 'phases.analysis', phases(a, 0, 0)),
  },
  {
    name: 'phases.planning',
    comparison: '<=',
    target: 500,
    unit: 1,
    judge: (t, a) =>
      judgeOne({ phases: { planningMs: t } }, faultOutcome(1, 1), 'phases.planning', phases(0, a, 0)),
  },
  {
    name: 'phases.execution',
    comparison: '<=',
    target: 120_000,
    unit: 1,
    judge: (t, a) =>
      judgeOne({ phases: { executionMs: t } }, faultOutcome(1, 1), 'phases.execution', phases(0, 0, a)),
  },
];

describe('every SLO comparison at its boundary', () => {
  it('covers every SLO name', () => {
    const names: readonly SloName[] = [
      'detection',
      'recovery',
      'availability',
      'maxDegradation',
      'recoverySuccessRate',
      'dataLoss',
      'splitBrain',
      'phases.analysis',
      'phases.planning',
      'phases.execution',
    ];

    expect(BOUNDARIES.map((b) => b.name).sort()).toEqual([...names].sort());
  });

  describe.each(BOUNDARIES)('$name ($comparison target)', (b) => {
    const worse = b.comparison === '<=' ? b.unit : -b.unit;

    it('passes exactly at its target', () => {
      const r = b.judge(b.target, b.target);

      expect(r).toMatchObject({ comparison: b.comparison, target: b.target, pass: true });
    });

    it('passes one unit on the good side', () => {
      expect(b.judge(b.target, b.target - worse).pass).toBe(true);
    });

    it('fails one unit on the bad side', () => {
      expect(b.judge(b.target, b.target + worse).pass).toBe(false);
    });
  });
});

describe('per-fault deadlines at their boundary', () => {
  it('a recovery exactly at the recovery target counts towards the success rate; one ms later does not', () => {
    const at = judgeOne(
      { recoveryMs: 60_000, recoverySuccessRate: 1 },
      faultOutcome(5_000, 60_000),
      'recoverySuccessRate',
    );
    const late = judgeOne(
      { recoveryMs: 60_000, recoverySuccessRate: 1 },
      faultOutcome(5_000, 60_001),
      'recoverySuccessRate',
    );

    expect([at.actual, late.actual]).toEqual([1, 0]);
  });

  it('an undetected fault whose deadline is exactly the end of the run is judged; one ms later it is exempt', () => {
    const deadline = INJECTED + 10_000;

    const atEnd = judgeOne({ detectionMs: 10_000 }, faultOutcome(null, null, deadline), 'detection');
    const pastEnd = judgeOne({ detectionMs: 10_000 }, faultOutcome(null, null, deadline - 1), 'detection');

    expect(atEnd).toMatchObject({ pass: false, missed: ['f1'], exempt: [] });
    expect(pastEnd).toMatchObject({ pass: true, missed: [], exempt: ['f1'] });
  });

  it('an unrecovered fault whose deadline is exactly the end of the run fails recovery; one ms later it is exempt', () => {
    const deadline = INJECTED + 120_000;

    const atEnd = judgeOne({ recoveryMs: 120_000 }, faultOutcome(5_000, null, deadline), 'recovery');
    const pastEnd = judgeOne({ recoveryMs: 120_000 }, faultOutcome(5_000, null, deadline - 1), 'recovery');

    expect(atEnd).toMatchObject({ pass: false, missed: ['f1'] });
    expect(pastEnd).toMatchObject({ pass: true, exempt: ['f1'] });
  });

  it('an undetected blip healed exactly at the detection deadline is exempt; healed one ms later it fails', () => {
    // A blip is a fault whose condition cleared by itself (it expired) and whose level came back with it.
    const blip = (healedAfterMs: number): WorldOutcome => {
      const o = faultOutcome(null, healedAfterMs);
      return { ...o, faults: o.faults.map((f) => ({ ...f, clearedAtMs: INJECTED + healedAfterMs })) };
    };
    const healedAtDeadline = judgeOne({ detectionMs: 10_000 }, blip(10_000), 'detection');
    const healedLater = judgeOne({ detectionMs: 10_000 }, blip(10_001), 'detection');

    expect(healedAtDeadline).toMatchObject({ pass: true, exempt: ['f1'] });
    expect(healedLater).toMatchObject({ pass: false, missed: ['f1'] });
  });
});
