import { err, ok, type Result } from '../../base/result.ts';
import { ACTION_CATALOG, type ActionFailure, type ActionKind, type ActionRequest } from '../actions.ts';
import { replicaIdOf } from '../ids.ts';
import { isAlive } from '../reach.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from '../runtime/records.ts';
import { type ClusterView, nodeOf, replicaOf, serviceOf } from './cluster-view.ts';
import { planPlacements } from './plan-placement.ts';
import type { ActionPlan, CompletionCheck, PlannedEffect } from './planned-effect.ts';
import { resolvePromotion } from './promote-replica.ts';

/**
 * Resolves one request against a read-only view of the cluster: the plan of what it will do, or the typed
 * failure that refuses it at once. Pure apart from `view.fold` (see {@link ClusterView.fold}); `fails` is the
 * effector's coin, drawn before, that makes a start or a boot hang.
 */
export type Resolver<K extends ActionKind> = (
  req: Extract<ActionRequest, { kind: K }>,
  view: ClusterView,
  fails: boolean,
) => Result<ActionPlan, ActionFailure>;

/** Resolves any request with the resolver of its kind. */
export const resolveAction = (
  req: ActionRequest,
  view: ClusterView,
  fails: boolean,
): Result<ActionPlan, ActionFailure> =>
  // The resolver is the one for this request's kind; TypeScript cannot correlate the two (#30581).
  (RESOLVERS[req.kind] as Resolver<ActionKind>)(req as never, view, fails);

const cost = (kind: ActionKind, units = 1) => ACTION_CATALOG[kind].cost * units;
const duration = (kind: ActionKind, view: ClusterView) =>
  ACTION_CATALOG[kind].durationMs(view.spec.effectors);

/** A plan that checks `check` at completion, with what success and failure then do. */
/**
 * How long a new replica of `service` takes to start: a stateful one first copies the primary's snapshot
 * (`snapshotMs`), and cannot serve or be promoted before. A restart keeps its data and needs no copy.
 */
const newReplicaStartMs = (kind: 'move-replica' | 'scale-out', view: ClusterView, service: ServiceRuntime) =>
  duration(kind, view) + (service.spec.stateful?.snapshotMs ?? 0);

const checked = (
  durationMs: number,
  unitCost: number,
  now: readonly PlannedEffect[],
  check: CompletionCheck,
  reason: string,
  onSuccess: readonly PlannedEffect[] = [],
  onFailure: readonly PlannedEffect[] = [],
): ActionPlan => ({
  durationMs,
  cost: unitCost,
  now,
  completion: { kind: 'checked', check, onSuccess, onFailure, reason },
});

/** A configuration change applied when the action completes. */
const atCompletion = (kind: ActionKind, view: ClusterView, effects: readonly PlannedEffect[]): ActionPlan =>
  checked(duration(kind, view), cost(kind), [], { kind: 'none' }, `${kind} was not applied`, effects);

type NodeFlagRequest = Extract<
  ActionRequest,
  { kind: 'drain-node' | 'undrain-node' | 'cordon-node' | 'uncordon-node' }
>;

const onNode =
  (effect: (n: NodeRuntime) => PlannedEffect) =>
  (req: NodeFlagRequest, view: ClusterView): Result<ActionPlan, ActionFailure> => {
    const n = nodeOf(view, req.node);
    return n.ok ? ok(atCompletion(req.kind, view, [effect(n.value)])) : n;
  };

/** The id the service's next new replica gets, `ahead` numbers on. */
const nextId = (r: { readonly service: Replica['service'] }, ahead = 0) =>
  replicaIdOf(r.service.spec.name, r.service.nextReplicaNumber + ahead);

/** The behaviour of each action, as a table keyed by kind. */
const RESOLVERS: { readonly [K in ActionKind]: Resolver<K> } = {
  'restart-node': (req, view, fails) => {
    const n = nodeOf(view, req.node);
    if (!n.ok) return n;
    const bootMs = duration('restart-node', view);
    return ok(
      checked(
        bootMs,
        cost('restart-node'),
        [{ op: 'boot-node', node: n.value.id, bootMs, hangs: fails }],
        { kind: 'node-up', node: n.value.id },
        'the node did not come back up',
      ),
    );
  },

  'restart-replica': (req, view, fails) => {
    const r = replicaOf(view, req.replica);
    if (!r.ok) return r;
    const replica = r.value;
    if (
      replica.node.state !== 'up' ||
      (req.local !== true && !view.network.controlLinked(replica.node.index))
    ) {
      return err({ kind: 'unreachable', node: replica.node.id });
    }
    const startMs = duration('restart-replica', view);
    return ok(
      checked(
        startMs,
        cost('restart-replica'),
        [{ op: 'restart-replica', replica: replica.id, startMs: fails ? startMs + 1 : startMs }],
        { kind: 'replica-alive', replica: replica.id },
        'the replica did not start',
        [],
        [{ op: 'stop-replica', replica: replica.id }],
      ),
    );
  },

  'move-replica': (req, view, fails) => {
    const r = replicaOf(view, req.replica);
    if (!r.ok) return r;
    const old = r.value;
    // Only the current primary must be promoted away first; a deposed one the control plane could not demote
    // yet (its node is down or cut off) is just a pod to delete, as the placements already report it.
    if (old.service.primary === old)
      return err({ kind: 'precondition', reason: 'move a primary with promote-replica first' });
    let preferred: NodeRuntime | undefined;
    if (req.toNode !== undefined) {
      const t = nodeOf(view, req.toNode);
      if (!t.ok) return t;
      preferred = t.value;
    }
    const [target] = planPlacements(view, old.service, 1, old.node, preferred);
    if (target === undefined) return err({ kind: 'no-capacity', service: old.service.spec.name });
    const startMs = newReplicaStartMs('move-replica', view, old.service);
    // The old replica is deleted only once its replacement runs, so a move that fails loses nothing; without
    // surge it leaves rotation at once.
    const surge = req.surge === true;
    const fresh = nextId(old);
    const add: PlannedEffect = {
      op: 'add-replica',
      service: old.service.spec.name,
      node: target.id,
      startMs: fails ? startMs + 1 : startMs,
      replica: fresh,
    };
    // A surge keeps the old replica serving until the load balancer has had time to admit the new one.
    const lb = view.spec.loadBalancer;
    const admitMs = surge ? lb.healthyThreshold * lb.healthCheckIntervalMs : 0;
    return ok(
      checked(
        startMs + admitMs,
        cost('move-replica'),
        surge ? [add] : [{ op: 'evict', replica: old.id, evicted: true }, add],
        { kind: 'replica-alive', replica: fresh },
        'the new replica did not start',
        [{ op: 'remove-replica', replica: old.id }],
        [
          { op: 'remove-replica', replica: fresh },
          { op: 'evict', replica: old.id, evicted: false },
        ],
      ),
    );
  },

  'promote-replica': resolvePromotion,

  'scale-out': (req, view, fails) => {
    const s = serviceOf(view, req.service);
    if (!s.ok) return s;
    const service = s.value;
    const startMs = newReplicaStartMs('scale-out', view, service);
    const nodes = planPlacements(view, service, Math.max(1, Math.floor(req.count)));
    if (nodes.length === 0) return err({ kind: 'no-capacity', service: service.spec.name });
    const added = nodes.map((node, i) => ({
      op: 'add-replica' as const,
      service: service.spec.name,
      node: node.id,
      startMs: fails ? startMs + 1 : startMs,
      replica: replicaIdOf(service.spec.name, service.nextReplicaNumber + i),
    }));
    return ok(
      checked(
        startMs,
        cost('scale-out', added.length),
        added,
        { kind: 'none' },
        'the new replicas did not start',
        [],
        added.map((a) => ({ op: 'remove-replica' as const, replica: a.replica })),
      ),
    );
  },

  'scale-in': (req, view) => {
    const s = serviceOf(view, req.service);
    if (!s.ok) return s;
    const service = s.value;
    // Never the current primary; a deposed one is a replica to the control plane, as for move-replica.
    const candidates = service.replicas.filter((r) => r !== service.primary);
    // The least useful first: a replica that does not serve, then (stateless) one out of rotation, oldest
    // first among equals (the sort is stable). A stateful service ranks a live replica out of rotation with the
    // others and then loses its newest, as a StatefulSet scales down and as a rollback of a scale-out expects:
    // an older replica cut off by a partition still holds the log a newer one may never have received, and
    // deleting it can lose acknowledged writes.
    const alive = (r: Replica) => Number(isAlive(r));
    const removable =
      service.spec.stateful === undefined
        ? candidates.sort((a, b) => alive(a) - alive(b) || Number(a.lbHealthy) - Number(b.lbHealthy))
        : candidates.reverse().sort((a, b) => alive(a) - alive(b));
    const count = Math.min(Math.floor(req.count), removable.length, service.replicas.length - 1);
    if (count <= 0) return err({ kind: 'precondition', reason: `${req.service} has no replica to spare` });
    return ok(
      atCompletion(
        'scale-in',
        view,
        removable.slice(0, count).map((r) => ({ op: 'remove-replica' as const, replica: r.id })),
      ),
    );
  },

  'drain-node': onNode((n) => ({ op: 'set-drained', node: n.id, drained: true })),
  'undrain-node': onNode((n) => ({ op: 'set-drained', node: n.id, drained: false })),
  'cordon-node': onNode((n) => ({ op: 'set-cordoned', node: n.id, cordoned: true })),
  'uncordon-node': onNode((n) => ({ op: 'set-cordoned', node: n.id, cordoned: false })),

  'shed-load': (req, view) => {
    const s = serviceOf(view, req.service);
    if (!s.ok) return s;
    if (!(req.fraction >= 0 && req.fraction <= 1)) {
      return err({ kind: 'precondition', reason: `shed fraction ${req.fraction} is outside [0, 1]` });
    }
    return ok(
      atCompletion('shed-load', view, [
        { op: 'set-shed', service: s.value.spec.name, fraction: req.fraction },
      ]),
    );
  },

  'set-retry-budget': (req, view) => {
    const s = serviceOf(view, req.service);
    if (!s.ok) return s;
    const b = req.budget;
    if (b !== null && !(b.ratio >= 0 && Number.isFinite(b.ratio) && b.minRetriesPerSecond >= 0)) {
      return err({
        kind: 'precondition',
        reason: `retry budget ${b.ratio} + ${b.minRetriesPerSecond}/s is not a share and a rate of 0 or more`,
      });
    }
    return ok(
      atCompletion('set-retry-budget', view, [
        { op: 'set-retry-budget', service: s.value.spec.name, budget: b },
      ]),
    );
  },

  'raise-limit': (req, view) => {
    const n = nodeOf(view, req.node);
    if (!n.ok) return n;
    return ok(
      atCompletion('raise-limit', view, [{ op: 'raise-limit', node: n.value.id, resource: req.resource }]),
    );
  },

  rollback: (req, view, fails) => {
    const s = serviceOf(view, req.service);
    if (!s.ok) return s;
    const service = s.value;
    const newer = service.replicas.filter((r) => r.state !== 'removed' && r.version !== r.previousVersion);
    if (newer.length === 0)
      return err({
        kind: 'precondition',
        reason: `every replica of ${req.service} runs its previous version`,
      });
    // A Deployment's rolling update at its defaults: maxUnavailable 25 % of the replicas, rounded up (here
    // of the replicas to roll, never fewer than one), each batch one replica start after the last.
    const batch = Math.max(1, Math.ceil(service.replicas.length / 4));
    const startMs = duration('rollback', view);
    const batches = Math.ceil(newer.length / batch);
    const effect: PlannedEffect = {
      op: 'roll-back',
      service: service.spec.name,
      replicas: newer.map((r) => r.id),
      batch,
      startMs,
    };
    // A failed rollout (the coin) is one that stalls: nothing is rolled back.
    return ok(
      checked(
        batches * startMs,
        cost('rollback'),
        fails ? [] : [effect],
        { kind: 'none' },
        'the rollout stalled',
      ),
    );
  },
  'open-circuit': (req, view) => circuit(req, view, true),
  'close-circuit': (req, view) => circuit(req, view, false),
};

/** A circuit breaker's change on a declared call edge; a caller that does not call the callee is refused. */
const circuit = (
  req: Extract<ActionRequest, { kind: 'open-circuit' | 'close-circuit' }>,
  view: ClusterView,
  open: boolean,
): Result<ActionPlan, ActionFailure> => {
  const s = serviceOf(view, req.service);
  if (!s.ok) return s;
  if (!(s.value.spec.calls ?? []).some((c) => c.service === req.callee))
    return err({ kind: 'precondition', reason: `${req.service} does not call ${req.callee}` });
  return ok(
    atCompletion(req.kind, view, [
      { op: 'set-circuit', service: s.value.spec.name, callee: req.callee, open },
    ]),
  );
};
