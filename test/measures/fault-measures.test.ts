import { describe, expect, it } from 'vitest';
import type { FaultId, FaultRecord } from '../../src/chaos/ground-truth.ts';
import type { ActionRecord } from '../../src/cluster/effectors.ts';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { distributionOf } from '../../src/measures/distribution.ts';
import { measureFaults } from '../../src/measures/fault-measures.ts';

const fault = (injectedAtMs: number, clearedAtMs: number | null = null): FaultRecord => ({
  id: 'f1' as FaultId,
  kind: 'node-crash',
  origin: 'timeline',
  targets: ['node-1' as NodeId],
  components: ['node-1', 'api-1', 'api'],
  detail: {},
  injectedAtMs,
  clearedAtMs,
});

const measure = (
  f: FaultRecord,
  levelChanges: { atMs: number; ok: boolean }[],
  detections: { atMs: number; component: string }[] = [],
) =>
  measureFaults({
    faults: [f],
    levelChanges,
    detections: detections.map((d) => ({ ...d, diagnosis: 'NodeCrash', by: 'test' })),
    actions: [],
    endMs: 1_000_000,
    holdMs: 30_000,
  })[0];

describe('fault measures', () => {
  it('MTTD is injection to the first detection naming a component of the fault', () => {
    const m = measure(
      fault(100_000),
      [],
      [
        { atMs: 90_000, component: 'node-1' }, // before the fault: not it
        { atMs: 104_000, component: 'node-2' }, // another node: not it
        { atMs: 107_000, component: 'api-1' },
      ],
    );

    expect(m?.mttdMs).toBe(7_000);
    expect(m?.diagnosis).toBe('NodeCrash');
  });

  it('MTTR runs from when the level left its healthy range to when it came back and held', () => {
    const m = measure(fault(100_000), [
      { atMs: 100_000, ok: false },
      { atMs: 120_000, ok: true }, // back, but only for 10 s: does not hold
      { atMs: 130_000, ok: false },
      { atMs: 140_000, ok: true },
    ]);

    expect(m?.impact).toBe(true);
    expect(m?.recoveredAtMs).toBe(140_000);
    expect(m?.mttrMs).toBe(40_000);
  });

  it('a dip during the hold that a newer fault caused does not undo the recovery', () => {
    const later: FaultRecord = { ...fault(125_000), id: 'f2' as FaultId, components: ['node-9'] };
    const changes = [
      { atMs: 100_000, ok: false },
      { atMs: 110_000, ok: true },
      { atMs: 125_000, ok: false }, // f2 lands 15 s into f1's hold
      { atMs: 140_000, ok: true },
    ];

    const [first, second] = measureFaults({
      faults: [fault(100_000), later],
      levelChanges: changes,
      detections: [],
      actions: [],
      endMs: 1_000_000,
      holdMs: 30_000,
    });

    expect(first?.recoveredAtMs).toBe(110_000);
    expect(second?.recoveredAtMs).toBe(140_000);
  });

  it("a dip that begins after a newer fault landed is the newer fault's", () => {
    const newer: FaultRecord = { ...fault(150_000), id: 'f2' as FaultId, components: ['node-9'] };

    const [old, recent] = measureFaults({
      faults: [fault(100_000), newer],
      levelChanges: [
        { atMs: 150_000, ok: false },
        { atMs: 160_000, ok: true },
      ],
      detections: [],
      actions: [],
      endMs: 1_000_000,
      holdMs: 30_000,
    });

    expect(old?.impact).toBe(false);
    expect(recent?.impactStartMs).toBe(150_000);
  });

  it('measures a slow-burning fault from when it started to hurt, not from when it landed', () => {
    const m = measure(fault(100_000), [
      { atMs: 400_000, ok: false },
      { atMs: 415_000, ok: true },
    ]);

    expect(m?.impactStartMs).toBe(400_000);
    expect(m?.mttrMs).toBe(15_000);
  });

  it('attributes to a fault the actions naming one of its components, a promotion by its service', () => {
    const action = (id: number, request: ActionRecord['request'], startedAtMs: number): ActionRecord => ({
      id,
      by: 'test',
      request,
      nodes: [],
      cost: 1,
      startedAtMs,
      finishedAtMs: startedAtMs + 1_000,
      ok: true,
      failure: null,
    });

    const [m] = measureFaults({
      faults: [fault(100_000)],
      levelChanges: [],
      detections: [],
      actions: [
        action(
          1,
          { kind: 'promote-replica', service: 'api' as ServiceId, replica: 'api-9' as ReplicaId },
          104_000,
        ),
        action(2, { kind: 'restart-node', node: 'node-1' as NodeId }, 105_000),
        action(3, { kind: 'restart-node', node: 'node-2' as NodeId }, 105_000),
        action(4, { kind: 'restart-node', node: 'node-1' as NodeId }, 90_000),
      ],
      endMs: 1_000_000,
      holdMs: 30_000,
    });

    expect(m?.actions.map((a) => a.id)).toEqual([1, 2]);
  });

  it('a fault that never left the healthy range has no impact and an MTTR of 0', () => {
    const m = measure(fault(100_000, 200_000), [
      { atMs: 300_000, ok: false }, // after the fault cleared: someone else's problem
      { atMs: 310_000, ok: true },
    ]);

    expect(m?.impact).toBe(false);
    expect(m?.mttrMs).toBe(0);
  });

  it('a fault whose level never came back has no recovery time', () => {
    const m = measure(fault(100_000), [{ atMs: 100_000, ok: false }]);

    expect(m?.recoveredAtMs).toBeNull();
    expect(m?.mttrMs).toBeNull();
  });
});

describe('distributionOf', () => {
  it('reports p50, p95, p99 (interpolated between closest ranks) and max, never a mean alone', () => {
    const d = distributionOf(Array.from({ length: 100 }, (_, i) => 100 - i));

    expect(d.count).toBe(100);
    expect(d.p50).toBeCloseTo(50.5, 9);
    expect(d.p95).toBeCloseTo(95.05, 9);
    expect(d.p99).toBeCloseTo(99.01, 9);
    expect(d.max).toBe(100);
  });

  it('reports nulls for no values', () => {
    expect(distributionOf([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });
});
