import { describe, expect, it } from 'vitest';
import {
  ACTION_CATALOG,
  type ActionKind,
  type ActionOutcome,
  type ActionRequest,
} from '../../src/cluster/actions.ts';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { LOAD } from '../support/mapek.ts';
import { buildWorld, callingCluster } from '../support/world.ts';
import { clusterSnapshot } from './cluster-snapshot.ts';

/**
 * Laws every row of the action catalog obeys, through `Effectors.execute` on a small world (api on
 * node-1..3, the sync-replicated orders on node-4..6 with its primary orders-1 on node-4):
 *
 * - a failed action leaves the cluster as it found it, whether refused at once (a target that does not
 *   exist) or failed on the way (the effectors' failure rate at 100 %); a restart is the exception, and a
 *   row of its own below: what it restarted was stopped by the attempt and stays stopped;
 * - whatever a failed action changed lies on the nodes its ledger record names;
 * - the ledger names what an action touched: the node it names, the node of the replica it names, the
 *   node of the primary a promotion deposes, nothing for a service-wide action;
 * - an action and the action that undoes it (`undoneBy`) leave the cluster as it was.
 *
 * The request tables are typed over every kind, so a new row of the catalog does not compile until the laws
 * know how to ask for it.
 */

const CALLING_CLUSTER = callingCluster();

const node = (id: string) => id as NodeId;
const replica = (id: string) => id as ReplicaId;
const service = (id: string) => id as ServiceId;

interface ActionCase {
  /** A request the action can carry out on the small world. */
  readonly valid: Extract<ActionRequest, { kind: ActionKind }>;
  /** The nodes its ledger record must name. */
  readonly touches: readonly string[];
  /** The same request naming something that does not exist. */
  readonly unknown: ActionRequest;
  /** Faults the world needs first for the action to have something to do (a rollback needs a new version). */
  readonly faults?: readonly Record<string, unknown>[];
}

const CASES: {
  readonly [K in ActionKind]: ActionCase & { readonly valid: Extract<ActionRequest, { kind: K }> };
} = {
  'restart-node': {
    valid: { kind: 'restart-node', node: node('node-2') },
    touches: ['node-2'],
    unknown: { kind: 'restart-node', node: node('node-99') },
  },
  'restart-replica': {
    valid: { kind: 'restart-replica', replica: replica('api-2') },
    touches: ['node-2'],
    unknown: { kind: 'restart-replica', replica: replica('api-99') },
  },
  'move-replica': {
    valid: { kind: 'move-replica', replica: replica('api-2') },
    touches: ['node-2'],
    unknown: { kind: 'move-replica', replica: replica('api-99') },
  },
  'promote-replica': {
    valid: { kind: 'promote-replica', service: service('orders'), replica: replica('orders-2') },
    touches: ['node-4'],
    unknown: { kind: 'promote-replica', service: service('nope') },
  },
  'scale-out': {
    valid: { kind: 'scale-out', service: service('api'), count: 1 },
    touches: [],
    unknown: { kind: 'scale-out', service: service('nope'), count: 1 },
  },
  'scale-in': {
    valid: { kind: 'scale-in', service: service('api'), count: 1 },
    touches: [],
    unknown: { kind: 'scale-in', service: service('nope'), count: 1 },
  },
  'drain-node': {
    valid: { kind: 'drain-node', node: node('node-2') },
    touches: ['node-2'],
    unknown: { kind: 'drain-node', node: node('node-99') },
  },
  'undrain-node': {
    valid: { kind: 'undrain-node', node: node('node-2') },
    touches: ['node-2'],
    unknown: { kind: 'undrain-node', node: node('node-99') },
  },
  'shed-load': {
    valid: { kind: 'shed-load', service: service('api'), fraction: 0.5 },
    touches: [],
    unknown: { kind: 'shed-load', service: service('nope'), fraction: 0.5 },
  },
  'set-retry-budget': {
    valid: {
      kind: 'set-retry-budget',
      service: service('api'),
      budget: { ratio: 0.1, minRetriesPerSecond: 5 },
    },
    touches: [],
    unknown: { kind: 'set-retry-budget', service: service('nope'), budget: null },
  },
  'raise-limit': {
    valid: { kind: 'raise-limit', node: node('node-2'), resource: 'memory' },
    touches: ['node-2'],
    unknown: { kind: 'raise-limit', node: node('node-99'), resource: 'memory' },
  },
  'cordon-node': {
    valid: { kind: 'cordon-node', node: node('node-2') },
    touches: ['node-2'],
    unknown: { kind: 'cordon-node', node: node('node-99') },
  },
  'uncordon-node': {
    valid: { kind: 'uncordon-node', node: node('node-2') },
    touches: ['node-2'],
    unknown: { kind: 'uncordon-node', node: node('node-99') },
  },
  rollback: {
    valid: { kind: 'rollback', service: service('api') },
    touches: [],
    unknown: { kind: 'rollback', service: service('nope') },
    faults: [{ at: '30s', kind: 'bad-deploy', target: 'replica:api-2', latencyFactor: 3 }],
  },
  'open-circuit': {
    valid: { kind: 'open-circuit', service: service('api'), callee: service('orders') },
    touches: [],
    unknown: { kind: 'open-circuit', service: service('nope'), callee: service('orders') },
  },
  'close-circuit': {
    valid: { kind: 'close-circuit', service: service('api'), callee: service('orders') },
    touches: [],
    unknown: { kind: 'close-circuit', service: service('nope'), callee: service('orders') },
  },
};

/**
 * Actions whose failed attempt is itself a change, what it leaves, and why: a restart stops what it restarts
 * before it knows whether it will come back. Every other kind must leave the cluster exactly as it found it.
 */
const FAILURE_LEAVES: {
  readonly [K in ActionKind]?: {
    readonly why: string;
    readonly left: (after: ReturnType<typeof clusterSnapshot>) => unknown;
    readonly expected: unknown;
  };
} = {
  'restart-node': {
    why: 'the machine was power-cycled and did not come back up',
    left: (after) => after.nodes.filter((n) => n.state !== 'up').map((n) => n.id),
    expected: ['node-2'],
  },
  'restart-replica': {
    why: 'the replica was killed for the restart and did not start again',
    left: (after) =>
      after.services.flatMap((s) => s.replicas.filter((r) => r.state !== 'running').map((r) => r.id)),
    expected: ['api-2'],
  },
};

/**
 * How much of the cluster an action and its undo restore, where it is less than everything, and why.
 * Scaling in removes the least useful replica, oldest first among equals for a stateless service, not the
 * one the scale-out added: the service is back to its size, its replicas not necessarily where they were.
 */
const UNDO_RESTORES_SIZE_ONLY: { readonly [K in ActionKind]?: string } = {
  'scale-out': 'scale-in removes the oldest stateless replica, not the one scale-out added',
  'scale-in': 'scale-out places the new replica on the least loaded node, not where the removed one was',
};

/** The cluster up to where its replicas are: node states and flags, service sizes and primaries. */
const sizeOf = (snapshot: ReturnType<typeof clusterSnapshot>) => ({
  nodes: snapshot.nodes.map(({ replicas: _, ...n }) => n),
  services: snapshot.services.map((s) => ({
    name: s.name,
    primary: s.primary,
    shedFraction: s.shedFraction,
    running: s.replicas.filter((r) => r.state === 'running').length,
  })),
});

const KINDS = Object.keys(ACTION_CATALOG) as ActionKind[];
const ROWS = KINDS.map((kind) => ({ kind, ...CASES[kind] }));
/** Enough for the slowest action (a node boot, or a surge move's admission) to complete. */
const SETTLE_MS = 200_000;

/** Runs one request on a fresh small world at 1 min and lets it complete. */
const runAction = (request: ActionRequest, failureRate: string, faults: readonly unknown[] = []) => {
  const { world } = buildWorld({
    workload: LOAD,
    cluster: { ...CALLING_CLUSTER, effectors: { failureRate } },
    faults,
  });
  world.runUntil(60_000);
  const before = clusterSnapshot(world);
  const outcomes: ActionOutcome[] = [];
  world.effectors.execute(request, (o) => outcomes.push(o));
  world.runFor(SETTLE_MS);
  const record = world.effectors.ledger.at(-1);
  if (record === undefined) throw new Error('nothing in the ledger');
  return { world, before, after: clusterSnapshot(world), outcome: outcomes[0], record };
};

/** Ids of the nodes whose snapshot differs, or holding a replica whose snapshot differs. */
const changedNodes = (
  before: ReturnType<typeof clusterSnapshot>,
  after: ReturnType<typeof clusterSnapshot>,
) =>
  before.nodes
    .filter((n, i) => JSON.stringify(n) !== JSON.stringify(after.nodes[i]))
    .map((n) => n.id)
    .sort();

describe('action catalog laws (every row)', () => {
  it('every row has its requests in the law table', () => {
    expect(Object.keys(CASES).sort()).toEqual([...KINDS].sort());
  });

  describe.each(ROWS)('$kind', (row) => {
    it('refused for a target that does not exist: nothing changes, the ledger names no node, it costs nothing', () => {
      const run = runAction(row.unknown, '0%', row.faults);

      expect(run.outcome).toMatchObject({ ok: false, failure: { kind: 'unknown-target' } });
      expect(run.after).toEqual(run.before);
      expect(run.record).toMatchObject({ nodes: [], cost: 0, ok: false });
    });

    it('the ledger names the nodes it touched', () => {
      const run = runAction(row.valid, '0%', row.faults);

      expect(run.outcome?.ok).toBe(true);
      expect(run.record.nodes).toEqual(row.touches);
      expect(run.record).toMatchObject({ ok: true, failure: null, finishedAtMs: run.outcome?.finishedAtMs });
    });

    it('failed on the way, it changes nothing off the nodes its ledger names', () => {
      const run = runAction(row.valid, '100%', row.faults);

      expect(run.outcome).toMatchObject({ ok: false, failure: { kind: 'transient' } });
      for (const id of changedNodes(run.before, run.after)) expect(run.record.nodes).toContain(id);
    });

    const leaves = FAILURE_LEAVES[row.kind];
    if (leaves === undefined) {
      it('failed on the way, it leaves the cluster as it found it', () => {
        const run = runAction(row.valid, '100%', row.faults);

        expect(run.after).toEqual(run.before);
      });
    } else {
      it(`failed on the way, it leaves only what it restarted down (${leaves.why})`, () => {
        const run = runAction(row.valid, '100%', row.faults);

        expect(leaves.left(run.after)).toEqual(leaves.expected);
        expect(leaves.left(run.before)).toEqual([]);
      });
    }
  });
});

describe('undoing an action (undoneBy) restores the cluster', () => {
  const reversible = ROWS.filter((r) => ACTION_CATALOG[r.kind].undoneBy !== undefined);

  it.each(reversible)('$kind then its undo', (row) => {
    const undoKind = ACTION_CATALOG[row.kind].undoneBy;
    if (undoKind === undefined) throw new Error('not reversible');
    // The undo names the same target: the same node, or the same service and count.
    const undo = { ...row.valid, kind: undoKind } as ActionRequest;
    const { world } = buildWorld({
      workload: LOAD,
      cluster: { ...CALLING_CLUSTER, effectors: { failureRate: '0%' } },
    });
    world.runUntil(60_000);
    // An undo* is the second half of a pair: start from the state its partner leaves.
    const isSecondHalf = row.kind.startsWith('un') || row.kind === 'scale-in' || row.kind === 'close-circuit';
    if (isSecondHalf) {
      world.effectors.execute(undo);
      world.runFor(SETTLE_MS);
    }
    const before = clusterSnapshot(world);

    world.effectors.execute(row.valid);
    world.runFor(SETTLE_MS);
    world.effectors.execute(undo);
    world.runFor(SETTLE_MS);

    const after = clusterSnapshot(world);
    if (UNDO_RESTORES_SIZE_ONLY[row.kind] === undefined) expect(after).toEqual(before);
    else expect(sizeOf(after)).toEqual(sizeOf(before));
  });
});
