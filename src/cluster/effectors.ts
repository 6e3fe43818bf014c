import { mark } from '../base/marks.ts';
import { err, ok, type Result } from '../result.ts';
import type { SimKernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { Trace } from '../sim/trace.ts';
import {
  ACTION_CATALOG,
  type ActionFailure,
  type ActionKind,
  type ActionOutcome,
  type ActionRequest,
  describeAction,
} from './actions.ts';
import { type Cluster, isAlive } from './cluster.ts';
import type { NodeId } from './ids.ts';
import { chooseNode } from './placement.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from './runtime.ts';

/** One action as the ground-truth ledger keeps it, with its cost and who asked for it. */
export interface ActionRecord {
  readonly id: number;
  readonly by: string;
  readonly request: ActionRequest;
  /**
   * Nodes whose workload the action disturbs, resolved at dispatch: the node it names, the node of the
   * replica it names, or, for a promotion, the node of the primary it deposes. Empty for service-wide actions
   * (scaling, shedding load). Ground truth for properties such as no-flapping.
   */
  readonly nodes: readonly NodeId[];
  readonly cost: number;
  readonly startedAtMs: number;
  finishedAtMs: number | null;
  ok: boolean | null;
  failure: ActionFailure | null;
}

/** What a handler did at dispatch: how long until done, and what to do then (`succeeded` false: a transient failure). */
interface Dispatched {
  readonly durationMs: number;
  readonly cost: number;
  readonly finish: (succeeded: boolean) => Result<number, ActionFailure>;
}

type Handler<K extends ActionKind> = (
  req: Extract<ActionRequest, { kind: K }>,
  fx: Effectors,
  fails: boolean,
) => Result<Dispatched, ActionFailure>;

const done = (): Result<number, ActionFailure> => ok(0);
const transient = (reason: string): Result<number, ActionFailure> => err({ kind: 'transient', reason });

/**
 * Everything a controller may do to the cluster. Each action takes sim time, may fail with the configured
 * probability (drawn from the `effectors` stream at dispatch), and carries a cost. Outcomes arrive by
 * callback at completion time, on the kernel: never through a promise, which would settle outside sim time.
 */
export class Effectors {
  private nextId = 1;
  /** Every action ever dispatched, in order: ground truth for reports, never read by controllers. */
  readonly ledger: ActionRecord[] = [];

  constructor(
    readonly cluster: Cluster,
    private readonly kernel: SimKernel,
    private readonly rng: RandomStream,
    private readonly trace: Trace,
  ) {}

  /**
   * Starts an action and returns its id. `onDone` receives the outcome when the action completes (or, for a
   * request refused at once, after zero sim time: always asynchronously, so callers see one ordering).
   */
  execute(
    request: ActionRequest,
    onDone: (outcome: ActionOutcome) => void = () => {},
    by = 'controller',
  ): number {
    const id = this.nextId++;
    const startedAtMs = this.kernel.nowMs;
    const fails = this.rng.chance(this.cluster.spec.effectors.failureProbability);
    // Resolved before the handler runs: a move or a promotion changes where things are.
    const nodes = nodesTouched(request, this.cluster);
    // The handler is the one for this request's kind; TypeScript cannot correlate the two (#30581).
    const handler = HANDLERS[request.kind] as Handler<ActionKind>;
    const dispatched = handler(request as never, this, fails);
    const record: ActionRecord = {
      id,
      by,
      request,
      nodes,
      cost: dispatched.ok ? dispatched.value.cost : 0,
      startedAtMs,
      finishedAtMs: null,
      ok: null,
      failure: null,
    };
    this.ledger.push(record);
    this.trace.record({
      t: startedAtMs,
      kind: 'action.started',
      source: by,
      id,
      action: describeAction(request),
    });
    const complete = (result: Result<number, ActionFailure>) => {
      const finishedAtMs = this.kernel.nowMs;
      record.finishedAtMs = finishedAtMs;
      record.ok = result.ok;
      record.failure = result.ok ? null : result.error;
      this.trace.record({
        t: finishedAtMs,
        kind: result.ok ? 'action.succeeded' : 'action.failed',
        source: by,
        id,
        ...(result.ok ? {} : { failure: result.error.kind }),
      });
      onDone(
        result.ok
          ? { ok: true, id, request, startedAtMs, finishedAtMs, lostWrites: result.value }
          : { ok: false, id, request, startedAtMs, finishedAtMs, failure: result.error },
      );
    };
    if (!dispatched.ok) {
      this.kernel.after(0, () => complete(err(dispatched.error)));
    } else {
      const d = dispatched.value;
      this.kernel.after(d.durationMs, () => complete(d.finish(!fails)));
    }
    return id;
  }

  /** The effector timings. */
  get timings() {
    return this.cluster.spec.effectors;
  }

  node(id: string): Result<NodeRuntime, ActionFailure> {
    const n = this.cluster.node(id);
    return n === undefined ? err({ kind: 'unknown-target', target: id }) : ok(n);
  }

  service(id: string): Result<ServiceRuntime, ActionFailure> {
    const s = this.cluster.service(id);
    return s === undefined ? err({ kind: 'unknown-target', target: id }) : ok(s);
  }

  replica(id: string): Result<Replica, ActionFailure> {
    const r = this.cluster.replica(id);
    return r === undefined || r.state === 'removed' ? err({ kind: 'unknown-target', target: id }) : ok(r);
  }

  /** A node the scheduler may place on: up, reachable, uncordoned, undrained, with CPU to spare. */
  placeFor(s: ServiceRuntime, exclude?: NodeRuntime, preferred?: NodeRuntime): NodeRuntime | undefined {
    const net = this.cluster.network;
    const eligible = (n: NodeRuntime) => n !== exclude && !n.drained && net.controlLinked(n.index);
    if (preferred !== undefined) {
      return eligible(preferred) ? chooseNode([preferred], this.cluster.spec, s.spec, eligible) : undefined;
    }
    return chooseNode(this.cluster.nodes, this.cluster.spec, s.spec, eligible);
  }
}

/** See {@link ActionRecord.nodes}. A request naming something that does not exist touches nothing. */
const nodesTouched = (req: ActionRequest, cluster: Cluster): NodeId[] => {
  if ('node' in req) return cluster.node(req.node) === undefined ? [] : [req.node];
  if (req.kind === 'promote-replica') {
    const primary = cluster.service(req.service)?.primary;
    return primary === null || primary === undefined ? [] : [primary.node.id];
  }
  if ('replica' in req) {
    const replica = cluster.replica(req.replica);
    return replica === undefined ? [] : [replica.node.id];
  }
  return [];
};

const cost = (kind: ActionKind, units = 1) => ACTION_CATALOG[kind].cost * units;
const duration = (kind: ActionKind, fx: Effectors) => ACTION_CATALOG[kind].durationMs(fx.timings);

/** A configuration change applied when the action completes. */
const atCompletion = (kind: ActionKind, fx: Effectors, apply: () => void): Dispatched => ({
  durationMs: duration(kind, fx),
  cost: cost(kind),
  finish: (succeeded) => {
    if (!succeeded) return transient(`${kind} was not applied`);
    apply();
    return done();
  },
});

type NodeFlagRequest = Extract<
  ActionRequest,
  { kind: 'drain-node' | 'undrain-node' | 'cordon-node' | 'uncordon-node' }
>;

const onNode =
  (apply: (fx: Effectors, n: NodeRuntime) => void) =>
  (req: NodeFlagRequest, fx: Effectors): Result<Dispatched, ActionFailure> => {
    const n = fx.node(req.node);
    return n.ok ? ok(atCompletion(req.kind, fx, () => apply(fx, n.value))) : n;
  };

/** The behaviour of each action, as a table keyed by kind. */
const HANDLERS: { readonly [K in ActionKind]: Handler<K> } = {
  'restart-node': (req, fx, fails) => {
    const n = fx.node(req.node);
    if (!n.ok) return n;
    const node = n.value;
    const bootMs = duration('restart-node', fx);
    fx.cluster.bootNode(node, bootMs, () => {}, fails);
    return ok({
      durationMs: bootMs,
      cost: cost('restart-node'),
      finish: (succeeded) =>
        succeeded && node.state === 'up' ? done() : transient('the node did not come back up'),
    });
  },

  'restart-replica': (req, fx, fails) => {
    const r = fx.replica(req.replica);
    if (!r.ok) return r;
    const replica = r.value;
    if (
      replica.node.state !== 'up' ||
      (req.local !== true && !fx.cluster.network.controlLinked(replica.node.index))
    ) {
      return err({ kind: 'unreachable', node: replica.node.id });
    }
    const startMs = duration('restart-replica', fx);
    fx.cluster.restartReplica(replica, fails ? startMs + 1 : startMs);
    return ok({
      durationMs: startMs,
      cost: cost('restart-replica'),
      finish: (succeeded) => {
        if (succeeded && isAlive(replica)) return done();
        fx.cluster.stopReplica(replica);
        return transient('the replica did not start');
      },
    });
  },

  'move-replica': (req, fx, fails) => {
    const r = fx.replica(req.replica);
    if (!r.ok) return r;
    const old = r.value;
    // Only the current primary must be promoted away first; a deposed one the control plane could not demote
    // yet (its node is down or cut off) is just a pod to delete, as the placements already report it.
    if (old.service.primary === old)
      return err({ kind: 'precondition', reason: 'move a primary with promote-replica first' });
    let preferred: NodeRuntime | undefined;
    if (req.toNode !== undefined) {
      const t = fx.node(req.toNode);
      if (!t.ok) return t;
      preferred = t.value;
    }
    const target = fx.placeFor(old.service, old.node, preferred);
    if (target === undefined) return err({ kind: 'no-capacity', service: old.service.spec.name });
    const startMs = duration('move-replica', fx);
    // The old replica is deleted only once its replacement runs, so a move that fails loses nothing; without
    // surge it leaves rotation at once.
    const surge = req.surge === true;
    if (!surge) fx.cluster.setEvicted(old, true);
    const fresh = fx.cluster.addReplica(old.service, target, fails ? startMs + 1 : startMs);
    // A surge keeps the old replica serving until the load balancer has had time to admit the new one.
    const lb = fx.cluster.spec.loadBalancer;
    const admitMs = surge ? lb.healthyThreshold * lb.healthCheckIntervalMs : 0;
    return ok({
      durationMs: startMs + admitMs,
      cost: cost('move-replica'),
      finish: (succeeded) => {
        if (succeeded && fresh !== undefined && isAlive(fresh)) {
          fx.cluster.removeReplica(old);
          return done();
        }
        if (fresh !== undefined) fx.cluster.removeReplica(fresh);
        fx.cluster.setEvicted(old, false);
        return transient('the new replica did not start');
      },
    });
  },

  'promote-replica': (req, fx) => {
    const s = fx.service(req.service);
    if (!s.ok) return s;
    const service = s.value;
    if (service.spec.stateful === undefined)
      return err({ kind: 'precondition', reason: `${req.service} is not stateful` });
    const eligible = (r: Replica) =>
      r.role === 'replica' &&
      fx.cluster.controlReachable(r) &&
      !(req.avoidNodes?.includes(r.node.id) ?? false);
    // Like Patroni's leader race: each reachable candidate reports its log position when asked, and the
    // furthest along wins. A reading scraped earlier could name a replica that has since fallen behind (cut
    // off by a partition, or started after the last scrape).
    const race = (): Replica | undefined => {
      fx.cluster.fold(service);
      let best: Replica | undefined;
      for (const r of service.replicas)
        if (eligible(r) && (best === undefined || fx.cluster.logPosition(r) > fx.cluster.logPosition(best)))
          best = r;
      // Synchronous mode promotes only a replica holding every acknowledged write (Patroni's
      // synchronous_mode): better no failover than a failover that loses what clients were told is saved.
      if (
        best !== undefined &&
        service.spec.stateful?.replication === 'sync' &&
        fx.cluster.logPosition(best) < service.committed
      )
        return undefined;
      return best;
    };
    let target: Replica | undefined;
    if (req.replica !== undefined) {
      const r = fx.replica(req.replica);
      if (!r.ok) return r;
      if (!eligible(r.value))
        return err({ kind: 'precondition', reason: `${req.replica} cannot be promoted now` });
      target = r.value;
    } else {
      target = race();
    }
    if (target === undefined)
      return err({ kind: 'precondition', reason: `no replica of ${req.service} can be promoted` });
    const chosen = target;
    const old = service.primary;
    // With lease fencing, an old primary the control plane cannot tell to step down keeps accepting writes
    // until its lease runs out: the promotion waits that long (0 when it is reachable, fenced or gone).
    const leaseLeft = (): number => {
      if (old === null || old.role !== 'primary' || service.spec.stateful?.fencing !== 'lease' || old.fenced)
        return 0;
      if (fx.cluster.controlReachable(old)) return 0;
      const now = fx.cluster.nowMs;
      return Number.isFinite(old.leaseExpiresAtMs) ? Math.max(0, old.leaseExpiresAtMs - now) : 0;
    };
    const wait = leaseLeft();
    // An old primary that is alive and reachable hands over in a planned switchover (Patroni's `switchover`):
    // it stops taking writes, the replicas apply the rest of its log, and only then is the new one promoted.
    // Under async replication that costs a few seconds of refused writes and saves every acknowledged one.
    const lagMs = service.spec.stateful.replication === 'async' ? service.spec.stateful.asyncLagMs : 0;
    const switchover = old !== null && lagMs > 0 && fx.cluster.controlReachable(old);
    if (switchover) {
      mark('promotion.switchover');
      fx.cluster.pauseWrites(old, true);
    }
    /** A promotion that does not happen gives the old primary its writes back. */
    const abandon = <T>(outcome: T): T => {
      if (switchover) fx.cluster.pauseWrites(old, false);
      return outcome;
    };
    return ok({
      durationMs: Math.max(duration('promote-replica', fx), wait, switchover ? lagMs : 0),
      cost: cost('promote-replica'),
      finish: (succeeded) => {
        if (!succeeded) return abandon(transient('the promotion did not complete'));
        // An old primary cut off since dispatch holds a lease not yet waited out: promoting now would give
        // two primaries accepting writes until it runs out.
        if (leaseLeft() > 0) {
          mark('promotion.abandoned-on-lease');
          return abandon(transient('the old primary was cut off during the promotion and holds its lease'));
        }
        // Unnamed, the race is run again when the promotion lands: the lease wait may have reordered it.
        const winner = req.replica === undefined ? race() : eligible(chosen) ? chosen : undefined;
        if (winner === undefined)
          return abandon(err({ kind: 'precondition', reason: `${chosen.id} was lost during promotion` }));
        return ok(fx.cluster.promote(winner));
      },
    });
  },

  'scale-out': (req, fx, fails) => {
    const s = fx.service(req.service);
    if (!s.ok) return s;
    const service = s.value;
    const startMs = duration('scale-out', fx);
    const added: Replica[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(req.count)); i++) {
      const node = fx.placeFor(service);
      const r =
        node === undefined ? undefined : fx.cluster.addReplica(service, node, fails ? startMs + 1 : startMs);
      if (r === undefined) break;
      added.push(r);
    }
    if (added.length === 0) return err({ kind: 'no-capacity', service: service.spec.name });
    return ok({
      durationMs: startMs,
      cost: cost('scale-out', added.length),
      finish: (succeeded) => {
        if (succeeded) return done();
        for (const r of added) fx.cluster.removeReplica(r);
        return transient('the new replicas did not start');
      },
    });
  },

  'scale-in': (req, fx) => {
    const s = fx.service(req.service);
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
    const victims = removable.slice(0, count);
    return ok(
      atCompletion('scale-in', fx, () => {
        for (const r of victims) fx.cluster.removeReplica(r);
      }),
    );
  },

  'drain-node': onNode((fx, n) => fx.cluster.setDrained(n, true)),
  'undrain-node': onNode((fx, n) => fx.cluster.setDrained(n, false)),
  'cordon-node': onNode((fx, n) => fx.cluster.setCordoned(n, true)),
  'uncordon-node': onNode((fx, n) => fx.cluster.setCordoned(n, false)),

  'shed-load': (req, fx) => {
    const s = fx.service(req.service);
    if (!s.ok) return s;
    if (!(req.fraction >= 0 && req.fraction <= 1)) {
      return err({ kind: 'precondition', reason: `shed fraction ${req.fraction} is outside [0, 1]` });
    }
    return ok(atCompletion('shed-load', fx, () => fx.cluster.setShed(s.value, req.fraction)));
  },

  'raise-limit': (req, fx) => {
    const n = fx.node(req.node);
    if (!n.ok) return n;
    return ok(atCompletion('raise-limit', fx, () => fx.cluster.raiseLimit(n.value, req.resource)));
  },
};
