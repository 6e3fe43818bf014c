import { mark } from '../../base/marks.ts';
import { err, ok, type Result } from '../../base/result.ts';
import { ACTION_CATALOG, type ActionFailure, type ActionRequest } from '../actions.ts';
import type { NodeId, ReplicaId } from '../ids.ts';
import { isAlive } from '../reach.ts';
import type { Replica, ServiceRuntime } from '../runtime/records.ts';
import { type ClusterView, replicaOf, serviceOf } from './cluster-view.ts';
import type { ActionPlan, PlannedEffect, PromotionCompletion } from './planned-effect.ts';

type PromoteRequest = Extract<ActionRequest, { kind: 'promote-replica' }>;

/**
 * Under quorum replication, whether `r` sees a majority of its service's replicas (itself included): alive
 * and connected to its node. A candidate on the minority side of a partition may hold every write it saw,
 * but not the ones the majority acknowledged since, so no policy may promote it (Raft's election rule).
 */
const hasMajority = (view: ClusterView, r: Replica): boolean => {
  if (r.service.spec.stateful?.replication !== 'quorum') return true;
  let members = 0;
  let seen = 0;
  for (const other of r.service.replicas) {
    if (other.state === 'removed') continue;
    members++;
    if (isAlive(other) && view.network.connected(r.node.index, other.node.index)) seen++;
  }
  return seen > members / 2;
};

/** A replica that may take over: a replica (not a primary), reachable, on no node to avoid, with a quorum. */
const eligible = (view: ClusterView, avoidNodes: readonly NodeId[] | undefined, r: Replica): boolean =>
  r.role === 'replica' &&
  view.controlReachable(r) &&
  !(avoidNodes?.includes(r.node.id) ?? false) &&
  hasMajority(view, r);

/**
 * Like Patroni's leader race: each reachable candidate reports its log position when asked, and the furthest
 * along wins. A reading scraped earlier could name a replica that has since fallen behind (cut off by a
 * partition, or started after the last scrape).
 */
const race = (
  view: ClusterView,
  service: ServiceRuntime,
  avoidNodes: readonly NodeId[] | undefined,
): Replica | undefined => {
  view.fold(service);
  let best: Replica | undefined;
  for (const r of service.replicas)
    if (eligible(view, avoidNodes, r) && (best === undefined || view.logPosition(r) > view.logPosition(best)))
      best = r;
  // Synchronous mode promotes only a replica holding every acknowledged write (Patroni's synchronous_mode):
  // better no failover than a failover that loses what clients were told is saved.
  if (
    best !== undefined &&
    service.spec.stateful?.replication === 'sync' &&
    view.logPosition(best) < service.committed
  )
    return undefined;
  return best;
};

/**
 * With lease fencing, an old primary the control plane cannot tell to step down keeps accepting writes until
 * its lease runs out: the promotion waits that long (0 when it is reachable, fenced or gone).
 */
const leaseLeft = (view: ClusterView, service: ServiceRuntime, old: Replica | null): number => {
  if (old === null || old.role !== 'primary' || service.spec.stateful?.fencing !== 'lease' || old.fenced)
    return 0;
  if (view.controlReachable(old)) return 0;
  return Number.isFinite(old.leaseExpiresAtMs) ? Math.max(0, old.leaseExpiresAtMs - view.nowMs) : 0;
};

/**
 * Resolves a promotion: the replica to promote (named, or the leader race's winner), how long to wait (the
 * promotion itself, the old primary's lease, or a switchover's catch-up), and whether the old primary pauses
 * its writes for a planned switchover. The promotion itself happens at completion (see {@link settlePromotion}).
 */
export const resolvePromotion = (
  req: PromoteRequest,
  view: ClusterView,
): Result<ActionPlan, ActionFailure> => {
  const s = serviceOf(view, req.service);
  if (!s.ok) return s;
  const service = s.value;
  const stateful = service.spec.stateful;
  if (stateful === undefined) return err({ kind: 'precondition', reason: `${req.service} is not stateful` });
  let target: Replica | undefined;
  if (req.replica !== undefined) {
    const r = replicaOf(view, req.replica);
    if (!r.ok) return r;
    if (!eligible(view, req.avoidNodes, r.value))
      return err({ kind: 'precondition', reason: `${req.replica} cannot be promoted now` });
    target = r.value;
  } else {
    target = race(view, service, req.avoidNodes);
  }
  if (target === undefined)
    return err({ kind: 'precondition', reason: `no replica of ${req.service} can be promoted` });
  const old = service.primary;
  const wait = leaseLeft(view, service, old);
  // An old primary that is alive and reachable hands over in a planned switchover (Patroni's `switchover`):
  // it stops taking writes, the replicas apply the rest of its log, and only then is the new one promoted.
  // Under async replication that costs a few seconds of refused writes and saves every acknowledged one.
  const lagMs = stateful.replication === 'async' ? stateful.asyncLagMs : 0;
  const switchover = old !== null && lagMs > 0 && view.controlReachable(old);
  const completion: PromotionCompletion = {
    kind: 'promotion',
    service: service.spec.name,
    named: req.replica,
    chosen: target.id,
    avoidNodes: req.avoidNodes ?? [],
    oldPrimary: old === null ? null : old.id,
    switchover,
  };
  if (switchover) mark('promotion.switchover');
  return ok({
    durationMs: Math.max(
      ACTION_CATALOG['promote-replica'].durationMs(view.spec.effectors),
      wait,
      switchover ? lagMs : 0,
    ),
    cost: ACTION_CATALOG['promote-replica'].cost,
    now: switchover && old !== null ? [{ op: 'pause-writes', replica: old.id, paused: true }] : [],
    completion,
  });
};

/** What a promotion does when it lands: promote the winner, or give the old primary its writes back. */
export const settlePromotion = (
  c: PromotionCompletion,
  view: ClusterView,
  succeeded: boolean,
): { readonly result: Result<void, ActionFailure>; readonly effects: readonly PlannedEffect[] } => {
  /** A promotion that does not happen gives the old primary its writes back. */
  const abandon = (failure: ActionFailure) => ({
    result: err(failure),
    effects:
      c.switchover && c.oldPrimary !== null
        ? [{ op: 'pause-writes' as const, replica: c.oldPrimary, paused: false }]
        : [],
  });
  const service = view.service(c.service);
  if (!succeeded || service === undefined)
    return abandon({ kind: 'transient', reason: 'the promotion did not complete' });
  // An old primary cut off since dispatch holds a lease not yet waited out: promoting now would give two
  // primaries accepting writes until it runs out.
  const old = c.oldPrimary === null ? null : (view.replicaRecord(c.oldPrimary) ?? null);
  if (leaseLeft(view, service, old) > 0) {
    mark('promotion.abandoned-on-lease');
    return abandon({
      kind: 'transient',
      reason: 'the old primary was cut off during the promotion and holds its lease',
    });
  }
  // Unnamed, the race is run again when the promotion lands: the lease wait may have reordered it.
  const winner = c.named === undefined ? race(view, service, c.avoidNodes) : stillEligible(view, c, c.chosen);
  if (winner === undefined)
    return abandon({ kind: 'precondition', reason: `${c.chosen} was lost during promotion` });
  return { result: ok(undefined), effects: [{ op: 'promote', replica: winner.id }] };
};

const stillEligible = (view: ClusterView, c: PromotionCompletion, id: ReplicaId): Replica | undefined => {
  const r = view.replica(id);
  return r !== undefined && eligible(view, c.avoidNodes, r) ? r : undefined;
};
