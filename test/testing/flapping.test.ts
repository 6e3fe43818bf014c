import { describe, expect, it } from 'vitest';
import type { FaultId, FaultRecord } from '../../src/chaos/ground-truth.ts';
import type { ActionRequest } from '../../src/cluster/actions.ts';
import type { ActionRecord } from '../../src/cluster/effectors.ts';
import type { NodeId } from '../../src/cluster/ids.ts';
import { unprovokedActions } from '../../src/testing/flapping.ts';

const fault = (targets: string[], injectedAtMs: number, clearedAtMs: number | null): FaultRecord => ({
  id: 'f1' as FaultId,
  kind: 'node-crash',
  origin: 'timeline',
  targets: targets as NodeId[],
  components: targets,
  detail: {},
  injectedAtMs,
  clearedAtMs,
});

let nextId = 1;
const action = (request: ActionRequest, nodes: string[], startedAtMs: number): ActionRecord => ({
  id: nextId++,
  by: 'mapek',
  request,
  nodes: nodes as NodeId[],
  cost: 1,
  startedAtMs,
  finishedAtMs: startedAtMs + 1_000,
  ok: true,
  failure: null,
});

const restart = (node: string, at: number) =>
  action({ kind: 'restart-node', node: node as NodeId }, [node], at);

describe('no flapping: actions on nodes no fault implicates', () => {
  const crash = fault(['node-1'], 100_000, 200_000);

  it.each([
    ['during the fault', 150_000, 0],
    ['at the instant it lands', 100_000, 0],
    ['within the grace after it clears', 260_000, 0],
    ['after the grace', 260_001, 1],
    ['before the fault lands', 99_999, 1],
  ])('an action on the faulty node %s is unprovoked %d times', (_label, at, expected) => {
    const outcome = { faults: [crash], actions: [restart('node-1', at)] };

    const found = unprovokedActions(outcome, { graceMs: 60_000 });

    expect(found).toHaveLength(expected);
  });

  it('counts an action on another node, during the fault, as unprovoked', () => {
    const outcome = { faults: [crash], actions: [restart('node-2', 150_000)] };

    const found = unprovokedActions(outcome);

    expect(found.map((u) => u.node)).toEqual(['node-2']);
  });

  it('lets a fault that never cleared implicate its nodes to the end of the run', () => {
    const outcome = { faults: [fault(['node-1'], 100_000, null)], actions: [restart('node-1', 9_000_000)] };

    expect(unprovokedActions(outcome)).toEqual([]);
  });

  it('never counts actions that give a node back, or service-wide ones', () => {
    const outcome = {
      faults: [],
      actions: [
        action({ kind: 'undrain-node', node: 'node-3' as NodeId }, ['node-3'], 50_000),
        action({ kind: 'uncordon-node', node: 'node-3' as NodeId }, ['node-3'], 50_000),
        action({ kind: 'scale-out', service: 'api' as never, count: 2 }, [], 50_000),
      ],
    };

    expect(unprovokedActions(outcome)).toEqual([]);
  });

  it('judges every node an action touches', () => {
    const multi = fault(['node-1', 'node-2'], 0, null);
    const outcome = {
      faults: [multi],
      actions: [action({ kind: 'drain-node', node: 'node-2' as NodeId }, ['node-2', 'node-3'], 10_000)],
    };

    expect(unprovokedActions(outcome).map((u) => u.node)).toEqual(['node-3']);
  });
});
