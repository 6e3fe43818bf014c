import { describe, expect, it } from 'vitest';
import type { ActionRequest } from '../../src/cluster/actions.ts';
import { applyEffects } from '../../src/cluster/effects/apply.ts';
import type { ActionPlan } from '../../src/cluster/effects/planned-effect.ts';
import { resolveAction } from '../../src/cluster/effects/resolve.ts';
import { settle } from '../../src/cluster/effects/settle.ts';
import {
  bareCluster,
  clusterSpecOf,
  node,
  nodeIn,
  replica,
  replicaIn,
  service,
  serviceIn,
  stateful,
  stateless,
} from './cluster-fixture.ts';

// api-1..3 on node-1..3; orders-1 (primary) on node-4, orders-2 on node-1, orders-3 on node-2.
const fourNodes = (replication: 'sync' | 'async' = 'async') =>
  bareCluster(clusterSpecOf(4, 8, [stateless('api', 3), stateful('orders', 3, replication)]));

const planOf = (req: ActionRequest, c = fourNodes().cluster, fails = false): ActionPlan => {
  const r = resolveAction(req, c, fails);
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.value;
};

describe('resolving an action, without a world', () => {
  it('plans a move as evict, then a replacement on the least loaded other node, the old one deleted once it runs', () => {
    const plan = planOf({ kind: 'move-replica', replica: replica('api-1') });

    expect(plan).toEqual({
      durationMs: 8_000,
      cost: 3,
      now: [
        { op: 'evict', replica: 'api-1', evicted: true },
        { op: 'add-replica', service: 'api', node: 'node-4', startMs: 8_000, replica: 'api-4' },
      ],
      completion: {
        kind: 'checked',
        check: { kind: 'replica-alive', replica: 'api-4' },
        onSuccess: [{ op: 'remove-replica', replica: 'api-1' }],
        onFailure: [
          { op: 'remove-replica', replica: 'api-4' },
          { op: 'evict', replica: 'api-1', evicted: false },
        ],
        reason: 'the new replica did not start',
      },
    });
  });

  it('keeps a surging move in rotation and waits for the load balancer to admit its replacement', () => {
    const plan = planOf({ kind: 'move-replica', replica: replica('api-1'), surge: true });

    expect(plan.now.map((e) => e.op)).toEqual(['add-replica']);
    expect(plan.durationMs).toBe(8_000 + 2 * 2_000);
  });

  it('makes a start the effector coin failed hang one millisecond past the check', () => {
    const plan = planOf({ kind: 'restart-replica', replica: replica('api-2') }, undefined, true);

    expect(plan.now).toEqual([{ op: 'restart-replica', replica: 'api-2', startMs: 8_001 }]);
  });

  it('spreads a scale-out as the scheduler would, each new replica counting the ones before it', () => {
    const plan = planOf({ kind: 'scale-out', service: service('api'), count: 3 });

    expect(plan.now).toEqual([
      { op: 'add-replica', service: 'api', node: 'node-4', startMs: 8_000, replica: 'api-4' },
      { op: 'add-replica', service: 'api', node: 'node-3', startMs: 8_000, replica: 'api-5' },
      { op: 'add-replica', service: 'api', node: 'node-1', startMs: 8_000, replica: 'api-6' },
    ]);
    expect(plan.cost).toBe(12);
  });

  it('scales a stateful service in from its newest replica and never its primary', () => {
    const plan = planOf({ kind: 'scale-in', service: service('orders'), count: 5 });

    expect(plan.completion).toMatchObject({
      onSuccess: [
        { op: 'remove-replica', replica: 'orders-3' },
        { op: 'remove-replica', replica: 'orders-2' },
      ],
    });
  });

  it('plans a switchover for an unnamed promotion while the old primary is reachable under async replication', () => {
    const plan = planOf({ kind: 'promote-replica', service: service('orders') });

    expect(plan.now).toEqual([{ op: 'pause-writes', replica: 'orders-1', paused: true }]);
    expect(plan.durationMs).toBe(2_000);
    expect(plan.completion).toEqual({
      kind: 'promotion',
      service: 'orders',
      named: undefined,
      chosen: 'orders-2',
      avoidNodes: [],
      oldPrimary: 'orders-1',
      switchover: true,
    });
  });

  it('waits out the lease of a primary the control plane cannot reach', () => {
    const { cluster } = fourNodes('sync');
    cluster.partition('cut', Int16Array.from([0, 0, 0, 1, 0]), 'both');

    const plan = planOf({ kind: 'promote-replica', service: service('orders') }, cluster);

    expect(plan.durationMs).toBe(10_000);
    expect(plan.now).toEqual([]);
  });

  it.each<[string, ActionRequest, object]>([
    [
      'an unknown node',
      { kind: 'restart-node', node: node('node-9') },
      { kind: 'unknown-target', target: 'node-9' },
    ],
    [
      'moving the primary',
      { kind: 'move-replica', replica: replica('orders-1') },
      { kind: 'precondition', reason: 'move a primary with promote-replica first' },
    ],
    [
      'promoting in a stateless service',
      { kind: 'promote-replica', service: service('api') },
      { kind: 'precondition', reason: 'api is not stateful' },
    ],
    [
      'promoting the primary itself',
      { kind: 'promote-replica', service: service('orders'), replica: replica('orders-1') },
      { kind: 'precondition', reason: 'orders-1 cannot be promoted now' },
    ],
    [
      'shedding more than everything',
      { kind: 'shed-load', service: service('api'), fraction: 1.5 },
      { kind: 'precondition', reason: 'shed fraction 1.5 is outside [0, 1]' },
    ],
  ])('refuses %s with a typed failure', (_, req, failure) => {
    const { cluster } = fourNodes();

    const r = resolveAction(req, cluster, false);

    expect(r).toEqual({ ok: false, error: failure });
  });

  it('finds no capacity on a full cluster', () => {
    const { cluster } = bareCluster(clusterSpecOf(2, 1, [stateless('api', 2)]));

    const r = resolveAction({ kind: 'scale-out', service: service('api'), count: 1 }, cluster, false);

    expect(r).toEqual({ ok: false, error: { kind: 'no-capacity', service: 'api' } });
  });

  it('leaves the cluster as it found it', () => {
    const { cluster, kernel, trace } = fourNodes();
    const before = {
      lines: trace.count,
      events: kernel.pendingCount,
      replicas: cluster.services.map((s) => s.replicas.map((r) => [r.id, r.state, r.evicted, r.role])),
      next: serviceIn(cluster, 'api').nextReplicaNumber,
    };

    for (const req of [
      { kind: 'move-replica', replica: replica('api-1') },
      { kind: 'scale-out', service: service('api'), count: 2 },
      { kind: 'promote-replica', service: service('orders') },
      { kind: 'restart-node', node: node('node-2') },
      { kind: 'drain-node', node: node('node-3') },
    ] as const)
      resolveAction(req, cluster, false);

    expect({
      lines: trace.count,
      events: kernel.pendingCount,
      replicas: cluster.services.map((s) => s.replicas.map((r) => [r.id, r.state, r.evicted, r.role])),
      next: serviceIn(cluster, 'api').nextReplicaNumber,
    }).toEqual(before);
  });
});

describe('settling and applying a plan', () => {
  it('creates the replica the plan named, on the node it chose', () => {
    const { cluster } = fourNodes();
    const plan = planOf({ kind: 'move-replica', replica: replica('api-1') }, cluster);

    applyEffects(cluster, plan.now);

    expect(replicaIn(cluster, 'api-4').node.id).toBe('node-4');
    expect(replicaIn(cluster, 'api-1').evicted).toBe(true);
  });

  it('fails a restart whose replica is not alive at completion, and stops it', () => {
    const { cluster } = fourNodes();
    const plan = planOf({ kind: 'restart-replica', replica: replica('api-2') }, cluster);
    cluster.crashNode(nodeIn(cluster, 'node-2'), 'fault');

    const settled = settle(plan.completion, cluster, true);

    expect(settled).toEqual({
      result: { ok: false, error: { kind: 'transient', reason: 'the replica did not start' } },
      effects: [{ op: 'stop-replica', replica: 'api-2' }],
    });
  });

  it('abandons a promotion the effector failed and gives the old primary its writes back', () => {
    const { cluster } = fourNodes();
    const plan = planOf({ kind: 'promote-replica', service: service('orders') }, cluster);

    const settled = settle(plan.completion, cluster, false);

    expect(settled.effects).toEqual([{ op: 'pause-writes', replica: 'orders-1', paused: false }]);
    expect(settled.result.ok).toBe(false);
  });

  it('promotes the race winner when the promotion lands', () => {
    const { cluster } = fourNodes();
    const plan = planOf({ kind: 'promote-replica', service: service('orders') }, cluster);
    applyEffects(cluster, plan.now);

    const settled = settle(plan.completion, cluster, true);
    applyEffects(cluster, settled.effects);

    expect(settled.effects).toEqual([{ op: 'promote', replica: 'orders-2' }]);
    expect(serviceIn(cluster, 'orders').primary?.id).toBe('orders-2');
  });
});
