import type { ActionOutcome } from '../../cluster/actions.ts';
import type { NodeId, ReplicaId, ServiceId } from '../../cluster/ids.ts';
import { inParallel, type OracleOps, whenInRotation } from './oracle-ops.ts';

/** Longest the graceful evacuation waits for its new replicas to join the rotation. */
const ROTATION_WAIT_MS = 30_000;

/** Hands the primary role of every replica on `node` that holds it to another replica. */
export const promoteAway = (ops: OracleOps, node: NodeId): void => {
  for (const p of ops.inventory.onNode(node)) {
    if (ops.ctx.sensors.primaryOf(p.service) === p.replica) {
      ops.homes.leaving(p.service, node);
      ops.effectors.execute({ kind: 'promote-replica', service: p.service });
    }
  }
};

/**
 * Break-before-make, for a node whose replicas are already lost or failing: every replica is moved to another
 * node at once (a replica that serves nothing costs nothing to delete); the primary of a stateful service is
 * first promoted away (the promotion waits out the old primary's lease when it cannot be fenced), then its
 * deposed instance is moved too. `then` runs when every move has completed.
 */
export const evacuateNow = (ops: OracleOps, node: NodeId, then?: () => void): void => {
  const pods = ops.inventory.onNode(node);
  let pending = pods.length;
  if (pending === 0) {
    then?.();
    return;
  }
  const done = () => {
    pending--;
    if (pending === 0) then?.();
  };
  for (const p of pods) {
    if (ops.ctx.sensors.primaryOf(p.service) === p.replica) replacePrimary(ops, p.service, p.replica, done);
    else moveOff(ops, p.replica, p.service, node, done);
  }
};

/** Moves a replica to the best node no fault holds; with none left, it stays (nothing better exists). */
const moveOff = (ops: OracleOps, replica: ReplicaId, service: ServiceId, from: NodeId, done: () => void) => {
  const toNode = ops.fence.destination(service, from);
  if (toNode === undefined) done();
  else ops.effectors.execute({ kind: 'move-replica', replica, toNode }, done);
};

/**
 * A primary on a failing node: promote a replica (the promotion names the faulty nodes to avoid, so it starts at
 * once). On a node the control plane still reaches, the deposed instance still serves reads, as slowly as its
 * node lets it: once the promotion is done it is moved off like any replica (a `scale-in` would delete some
 * other, healthy replica, since it deletes dead ones first and this one is alive). On a lost node, a new replica
 * starts elsewhere at the same time, so reads get their capacity back without waiting for the promotion (which
 * may wait out a lease); once both are done the deposed instance is deleted (scale-in deletes dead and
 * unreachable replicas first); without a new replica, it is moved instead.
 */
const replacePrimary = (ops: OracleOps, service: ServiceId, old: ReplicaId, done: () => void): void => {
  const from = ops.inventory.all.find((p) => p.replica === old)?.node;
  if (from !== undefined) ops.homes.leaving(service, from);
  const promotion = { kind: 'promote-replica', service, avoidNodes: [...ops.fence.faulty()] } as const;
  if (from !== undefined && ops.ctx.sensors.ping(from)) {
    ops.effectors.execute(promotion, (o) => (o.ok ? moveOff(ops, old, service, from, done) : done()));
    return;
  }
  let promoted: ActionOutcome | undefined;
  let added: ActionOutcome | undefined;
  const settle = () => {
    if (promoted === undefined || added === undefined) return;
    if (!promoted.ok) done();
    else if (added.ok) ops.effectors.execute({ kind: 'scale-in', service, count: 1 }, done);
    else {
      const node = ops.inventory.all.find((p) => p.replica === old)?.node;
      if (node === undefined) done();
      else moveOff(ops, old, service, node, done);
    }
  };
  // The scale-out is placed by the scheduler, so it waits for the faulty nodes' cordons to land.
  ops.effectors.execute(promotion, (o) => {
    promoted = o;
    settle();
  });
  ops.fence.whenFenced(() =>
    ops.effectors.execute({ kind: 'scale-out', service, count: 1 }, (o) => {
      added = o;
      settle();
    }),
  );
};

/** How many replicas of each service a node holds. */
export const countsOn = (ops: OracleOps, node: NodeId): Map<ServiceId, number> => {
  const counts = new Map<ServiceId, number>();
  for (const p of ops.inventory.onNode(node)) counts.set(p.service, (counts.get(p.service) ?? 0) + 1);
  return counts;
};

/**
 * Make-before-break, for a node that is not hurting yet: cordon it, promote any primary away from it (it is
 * reachable, so no lease to wait out), add as many replicas of each service elsewhere as it holds, wait until
 * the load balancer routes to them, then drain the node, and `then` decides what becomes of it. The service
 * never runs short of capacity. Falls back to `evacuateNow` when the new replicas cannot be started.
 */
export const evacuateGracefully = (ops: OracleOps, node: NodeId, then: () => void): void => {
  const counts = countsOn(ops, node);
  if (counts.size === 0) {
    then();
    return;
  }
  ops.effectors.execute({ kind: 'cordon-node', node }, () => {
    promoteAway(ops, node);
    const before = new Set(ops.inventory.all.map((p) => p.replica));
    const scaleOuts = [...counts].map(([service, count]) => ({ kind: 'scale-out', service, count }) as const);
    ops.fence.whenFenced(() =>
      inParallel(ops, scaleOuts, (outcomes) => {
        if (outcomes.some((o) => !o.ok)) {
          evacuateNow(ops, node, then);
          return;
        }
        const fresh = new Set<string>();
        for (const p of ops.inventory.all) if (!before.has(p.replica)) fresh.add(p.replica);
        whenInRotation(ops, fresh, ROTATION_WAIT_MS, () =>
          ops.effectors.execute({ kind: 'drain-node', node }, () => then()),
        );
      }),
    );
  });
};
