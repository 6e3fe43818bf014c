import type { Cluster } from '../cluster.ts';
import type { PlannedEffect } from './planned-effect.ts';

/** Carries out one effect on the cluster. Returns the acknowledged writes it lost (a promotion's), else 0. */
type Apply<O extends PlannedEffect['op']> = (c: Cluster, e: Extract<PlannedEffect, { op: O }>) => number;

const onReplica = (c: Cluster, id: string, act: (r: NonNullable<ReturnType<Cluster['replica']>>) => void) => {
  const r = c.replica(id);
  if (r !== undefined) act(r);
  return 0;
};

const onNode = (c: Cluster, id: string, act: (n: NonNullable<ReturnType<Cluster['node']>>) => void) => {
  const n = c.node(id);
  if (n !== undefined) act(n);
  return 0;
};

const APPLY: { readonly [O in PlannedEffect['op']]: Apply<O> } = {
  'boot-node': (c, e) => onNode(c, e.node, (n) => c.nodeLifecycle.boot(n, e.bootMs, () => {}, e.hangs)),
  'restart-replica': (c, e) => onReplica(c, e.replica, (r) => c.replicas.restart(r, e.startMs)),
  // A start that failed: the container is left terminated on an error, as its pod status then says.
  'stop-replica': (c, e) =>
    onReplica(c, e.replica, (r) => {
      c.processes.failedStart(r);
      c.replicas.stop(r);
    }),
  evict: (c, e) => onReplica(c, e.replica, (r) => c.replicas.setEvicted(r, e.evicted)),
  'add-replica': (c, e) => {
    const s = c.service(e.service);
    const n = c.node(e.node);
    if (s !== undefined && n !== undefined) c.replicas.add(s, n, e.startMs);
    return 0;
  },
  'remove-replica': (c, e) => onReplica(c, e.replica, (r) => c.replicas.remove(r)),
  'pause-writes': (c, e) => onReplica(c, e.replica, (r) => c.replication.pauseWrites(r, e.paused)),
  promote: (c, e) => {
    const r = c.replica(e.replica);
    return r === undefined ? 0 : c.replication.promote(r);
  },
  'set-drained': (c, e) => onNode(c, e.node, (n) => c.nodeLifecycle.setDrained(n, e.drained)),
  'set-cordoned': (c, e) => onNode(c, e.node, (n) => c.nodeLifecycle.setCordoned(n, e.cordoned)),
  'set-shed': (c, e) => {
    const s = c.service(e.service);
    if (s !== undefined) c.traffic.setShed(s, e.fraction);
    return 0;
  },
  'set-retry-budget': (c, e) => {
    const s = c.service(e.service);
    if (s !== undefined) c.traffic.setRetryBudget(s, e.budget);
    return 0;
  },
  'raise-limit': (c, e) => onNode(c, e.node, (n) => c.nodeLifecycle.raiseLimit(n, e.resource)),
  'roll-back': (c, e) => {
    const s = c.service(e.service);
    const replicas = e.replicas.flatMap((id) => c.replica(id) ?? []);
    if (s !== undefined) c.processes.rollBack(s, replicas, e.batch, e.startMs);
    return 0;
  },
  'set-circuit': (c, e) => {
    c.setCircuit(e.service, e.callee, e.open);
    return 0;
  },
};

/**
 * Carries out planned effects in order, now. Returns the acknowledged writes they lost. The one place an
 * action changes the cluster.
 */
export const applyEffects = (cluster: Cluster, effects: readonly PlannedEffect[]): number => {
  let lost = 0;
  // Each effect goes to the applier of its op; TypeScript cannot correlate the two (#30581).
  for (const e of effects) lost += (APPLY[e.op] as Apply<PlannedEffect['op']>)(cluster, e as never);
  return lost;
};
