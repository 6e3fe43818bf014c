import { ACTION_CATALOG, type ActionKind, type ActionRequest, type ActionType } from '../cluster/actions.ts';
import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import { DEFAULT_RETRY_BUDGET } from '../cluster/queueing/retry-policy.ts';
import { overloadScaleCount } from './overload-scaling.ts';
import { leadTimeShedFraction } from './overload-shedding.ts';
import { PROCESS_STRATEGIES } from './process-strategies.ts';
import { placementsOf, placementsOn } from './topology.ts';
import type { DetectedFailure, RecoveryAction, RootCause, StrategyId, Topology } from './types.ts';

/** What a strategy's expansion into actions may look at. */
export interface ExpandContext {
  readonly failure: DetectedFailure;
  readonly topology: Topology;
  /** Nodes the control plane cannot count on: suspected by a detector or part of the failure. */
  readonly unreachable: ReadonlySet<NodeId>;
}

/**
 * Requests per stage, awaited in order, and background requests the recovery does not wait for (a repair
 * that restores spare capacity but not the service level); null when the strategy cannot apply now (no
 * replica to fail over to, nothing to do).
 */
type Expansion = {
  readonly stages: readonly (readonly ActionRequest[])[];
  readonly background?: readonly ActionRequest[];
} | null;

/** What is believed about a strategy before knowledge has seen it run. */
export interface StrategyPrior {
  readonly successRate: number;
  /** Time from dispatch until the recovery is verified, as expected (the same measure knowledge learns). */
  readonly recoveryMs: number;
  /** Chance of collateral damage (lost writes, refused users, a slower cluster), 0..1. */
  readonly risk: number;
}

/** One row of the planner's catalog. */
export interface Strategy {
  readonly id: StrategyId;
  /** The family the strategy belongs to, by its main action. */
  readonly type: ActionType;
  readonly summary: string;
  /** Root causes it is a first-line candidate for. */
  readonly causes: readonly RootCause[];
  /** Root causes it is tried for only once the planner has escalated. */
  readonly escalationFor: readonly RootCause[];
  readonly prior: StrategyPrior;
  readonly expand: (c: ExpandContext) => Expansion;
}

/**
 * Whether `service` has a replica worth a promotion away from `exclude`: one on a node the control plane
 * reaches (never the minority side of a partition, never a node under suspicion or being evacuated), not
 * starting. A deposed primary counts: once it hears of the new primary it rejoins as a replica holding the
 * whole log. Which candidate wins is left to the promotion itself, which asks each for its log position at
 * that moment (see the `promote-replica` effector): a lag reading from the last scrape can be as stale as it is
 * reassuring.
 */
const canPromote = (c: ExpandContext, service: ServiceId, exclude: ReplicaId): boolean =>
  placementsOf(c.topology, service).some(
    (p) =>
      p.replica !== exclude &&
      !p.starting &&
      p.role !== 'none' &&
      !c.unreachable.has(p.node) &&
      !c.failure.nodes.includes(p.node),
  );

/**
 * Fail over and reschedule, in two stages: promote away from each primary on the failed nodes while moving
 * every other replica off them; then move the old primaries too (deposed by then, they are plain replicas).
 */
const failover = (c: ExpandContext): ActionRequest[][] | null => {
  const first: ActionRequest[] = [];
  const then: ActionRequest[] = [];
  // Replicas on a leaking node still serve well: they keep serving until their replacement is admitted (a
  // move with surge), so the cure costs no dip of its own. Replicas on a starved, slow or full node serve
  // badly: they leave rotation at once.
  const surge = SURGE_CAUSES.has(c.failure.cause);
  const move = (replica: ReplicaId): ActionRequest => ({
    kind: 'move-replica',
    replica,
    ...(surge ? { surge } : {}),
  });
  for (const p of placementsOn(c.topology, c.failure.nodes)) {
    if (c.topology.primaries.get(p.service) === p.replica) {
      if (!canPromote(c, p.service, p.replica)) return null;
      first.push({ kind: 'promote-replica', service: p.service, avoidNodes: c.failure.nodes });
      then.push(move(p.replica));
    } else {
      first.push(move(p.replica));
    }
  }
  return [first, then];
};

/** Root causes whose replicas still serve well until the cure: moved with surge. */
const SURGE_CAUSES: ReadonlySet<RootCause> = new Set(['memory']);

const reboot = (c: ExpandContext): ActionRequest[] =>
  c.failure.nodes.map((node) => ({ kind: 'restart-node', node }) as const);

/** One extra replica of each affected service per replica it has on the failed nodes. */
const scaleForNodes = (c: ExpandContext): ActionRequest[] => {
  const counts = new Map<ServiceId, number>();
  for (const p of placementsOn(c.topology, c.failure.nodes))
    counts.set(p.service, (counts.get(p.service) ?? 0) + 1);
  return [...counts].map(([service, count]) => ({ kind: 'scale-out', service, count }) as const);
};

/**
 * Replicas for an overloaded service, sized from its load estimate to carry the load and drain its backlog
 * (overload-scaling.ts); a quarter more when the failure spans several services (one estimate cannot size each).
 */
const scaleService = (c: ExpandContext): ActionRequest[] =>
  c.failure.services.map((service) => {
    const placed = placementsOf(c.topology, service);
    const serving = placed.filter((p) => p.inRotation && !p.starting).length;
    const load = c.failure.services.length === 1 ? c.failure.load : undefined;
    const count =
      load === undefined ? Math.max(1, Math.ceil(placed.length / 4)) : overloadScaleCount(serving, load);
    return { kind: 'scale-out', service, count } as const;
  });

/**
 * Scale-out for a one-service overload whose attempts exceed what its replicas serve, with the share they
 * cannot carry shed while the new replicas start (overload-shedding.ts); null when nothing exceeds (the
 * scale-out alone then) or the load is not one service's.
 */
const shedWhileScaling = (c: ExpandContext): ActionRequest[] | null => {
  const load = c.failure.load;
  const [service, ...others] = c.failure.services;
  if (c.failure.cause !== 'overload' || load === undefined || service === undefined || others.length > 0)
    return null;
  const fraction = leadTimeShedFraction(load);
  return fraction <= 0 ? null : [{ kind: 'shed-load', service, fraction }, ...scaleService(c)];
};

const nonEmpty = (
  stages: readonly (readonly ActionRequest[] | null)[],
  background: readonly ActionRequest[] = [],
): Expansion => {
  if (stages.some((s) => s === null)) return null;
  const kept = stages.filter((s): s is readonly ActionRequest[] => s !== null && s.length > 0);
  return kept.length === 0 && background.length === 0 ? null : { stages: kept, background };
};

/** Fraction of an overloaded service's load shed as a last resort. */
const SHED_FRACTION = 0.2;

/** The budget the loop puts on a storm's clients: Finagle's defaults, 20 % of requests and 10 retries a second. */
const STORM_BUDGET = DEFAULT_RETRY_BUDGET;

/**
 * Shedding to capacity, as data: the attempts let through are brought to this share of what the replicas
 * serve, so the backlog drains at the rest (an admission controller's target utilisation); the share shed is
 * kept within the bounds and rounded up to a step, so noise in one scrape does not make a new fraction.
 */
const SHED_TO_CAPACITY = { target: 0.8, min: 0.05, max: 0.9, step: 0.05 } as const;

/**
 * The share of a service's requests to shed, with the storm budget on its clients, so that its attempts fall
 * to `target` x what its replicas serve. Shed requests are not retried, and the budget caps the rest at
 * originals x (1 + ratio) + minRetriesPerSecond whatever fails, so with `originalRps` asked and shedding f:
 * (1 - f) x originals x (1 + ratio) + min <= target x throughput. The retries seen in the scrape do not enter:
 * an interval's average of a storm still forming understates them, and under the budget they no longer matter.
 */
export const shedToCapacity = (originalRps: number, throughputRps: number): number => {
  const S = SHED_TO_CAPACITY;
  const b = STORM_BUDGET;
  if (!(originalRps > 0)) return S.min;
  const admitted = (S.target * throughputRps - b.minRetriesPerSecond) / (originalRps * (1 + b.ratio));
  const stepped = Math.ceil((1 - admitted) / S.step - 1e-9) * S.step;
  return Math.round(Math.min(S.max, Math.max(S.min, stepped)) * 100) / 100;
};

/**
 * The planner's catalog of recovery strategies, as data: which root causes each answers, what it is believed
 * to achieve before knowledge has seen it run, and how it expands into effector actions for one failure.
 * Adding a strategy is adding a row.
 */
export const STRATEGY_CATALOG: readonly Strategy[] = [
  {
    id: 'failover-and-reboot',
    type: 'Failover',
    summary:
      'promote away from the node and reschedule its replicas elsewhere; power-cycle it in the background',
    causes: ['crash', 'oom-crash', 'cpu', 'memory'],
    escalationFor: [],
    prior: { successRate: 0.9, recoveryMs: 30_000, risk: 0.2 },
    expand: (c) => {
      const stages = failover(c);
      return stages === null ? null : nonEmpty(stages, reboot(c));
    },
  },
  {
    id: 'reboot-node',
    type: 'Restart',
    summary: 'power-cycle the node through the cloud API; its replicas restart when it is up',
    // On a node that still serves, a reboot takes its replicas down for the whole boot: a last resort there.
    causes: ['crash', 'oom-crash'],
    escalationFor: ['cpu', 'memory', 'slow-node', 'disk', 'flapping'],
    prior: { successRate: 0.95, recoveryMs: 75_000, risk: 0.1 },
    expand: (c) => nonEmpty([reboot(c)]),
  },
  {
    id: 'reschedule-replicas',
    type: 'Failover',
    summary: 'promote away from the nodes and reschedule their replicas on reachable, healthy nodes',
    // A machine rebooting by itself needs no power cycle, only its replicas elsewhere for the boot.
    causes: ['partition', 'slow-node', 'disk', 'self-reboot'],
    escalationFor: ['cpu', 'memory'],
    prior: { successRate: 0.9, recoveryMs: 30_000, risk: 0.2 },
    expand: (c) => {
      const stages = failover(c);
      return stages === null ? null : nonEmpty(stages);
    },
  },
  {
    id: 'quarantine-node',
    type: 'Failover',
    summary:
      'keep a flapping node out: cordon and drain it, promote away and reschedule its replicas; power-cycle it to a clean state in the background',
    causes: ['flapping'],
    escalationFor: [],
    prior: { successRate: 0.9, recoveryMs: 30_000, risk: 0.2 },
    expand: (c) => {
      const stages = failover(c);
      if (stages === null) return null;
      const [first = [], then = []] = stages;
      const fence = c.failure.nodes.flatMap((node) => [
        { kind: 'cordon-node', node } as const,
        { kind: 'drain-node', node } as const,
      ]);
      return nonEmpty([[...fence, ...first], then], reboot(c));
    },
  },
  {
    id: 'readmit-node',
    type: 'Reconfigure',
    summary: 'let a node kept out for flapping back, once it has stayed healthy for the stated time',
    causes: ['readmit'],
    escalationFor: [],
    prior: { successRate: 0.95, recoveryMs: 20_000, risk: 0.05 },
    expand: (c) =>
      nonEmpty([
        c.failure.nodes.flatMap((node) => [
          { kind: 'uncordon-node', node } as const,
          { kind: 'undrain-node', node } as const,
        ]),
      ]),
  },
  {
    id: 'raise-disk-limit',
    type: 'Reconfigure',
    summary: 'grow the full disk through the cloud API',
    causes: ['disk'],
    escalationFor: [],
    prior: { successRate: 0.95, recoveryMs: 25_000, risk: 0.05 },
    expand: (c) =>
      nonEmpty([c.failure.nodes.map((node) => ({ kind: 'raise-limit', node, resource: 'disk' }) as const)]),
  },
  {
    id: 'raise-memory-limit',
    type: 'Reconfigure',
    summary: 'grow the node memory: buys time against a leak, does not stop it',
    causes: ['memory'],
    escalationFor: [],
    prior: { successRate: 0.5, recoveryMs: 25_000, risk: 0.05 },
    expand: (c) =>
      nonEmpty([c.failure.nodes.map((node) => ({ kind: 'raise-limit', node, resource: 'memory' }) as const)]),
  },
  {
    id: 'drain-and-scale',
    type: 'Reconfigure',
    summary: 'add replicas elsewhere, then take the node out of rotation and its primaries away (reversible)',
    causes: ['slow-node'],
    escalationFor: ['partition'],
    prior: { successRate: 0.85, recoveryMs: 30_000, risk: 0.1 },
    expand: (c) => {
      // Out of rotation, a slow node still holds any primary on it, and every write still goes there: hand
      // the role to a healthy replica as the node is drained (a stateful service stays degraded otherwise).
      const promotions = placementsOn(c.topology, c.failure.nodes)
        .filter(
          (p) => c.topology.primaries.get(p.service) === p.replica && canPromote(c, p.service, p.replica),
        )
        .map((p) => ({ kind: 'promote-replica', service: p.service, avoidNodes: c.failure.nodes }) as const);
      const drains = c.failure.nodes.map((node) => ({ kind: 'drain-node', node }) as const);
      return nonEmpty([scaleForNodes(c), [...promotions, ...drains]]);
    },
  },
  {
    id: 'scale-out',
    type: 'Scale',
    summary: 'add replicas to the services that lost capacity (reversible)',
    causes: ['overload', 'partition'],
    // More replicas drain a storm too, once their capacity exceeds the amplified load: slower than shedding.
    escalationFor: ['retry-storm'],
    prior: { successRate: 0.8, recoveryMs: 28_000, risk: 0.05 },
    expand: (c) =>
      nonEmpty([
        c.failure.cause === 'overload' || c.failure.cause === 'retry-storm'
          ? scaleService(c)
          : scaleForNodes(c),
      ]),
  },
  {
    id: 'shed-while-scaling',
    type: 'Scale',
    summary:
      "add replicas to an overloaded service and, while they start, shed the share of its load the replicas serving now cannot carry, so no backlog stands past its clients' timeouts when they join (the shedding is lifted once they serve and the backlog has drained)",
    causes: ['overload'],
    escalationFor: [],
    // Verified once the shed queue has drained; refuses a share of users for the lead time (lower risk than
    // shed-load's fixed fifth for as long as the trigger lasts, above a plain scale-out's).
    prior: { successRate: 0.85, recoveryMs: 15_000, risk: 0.3 },
    expand: (c) => nonEmpty([shedWhileScaling(c)]),
  },
  {
    id: 'shed-load',
    type: 'Reconfigure',
    summary: 'reject a fifth of the offered load at the door, to keep the rest served (reversible)',
    causes: [],
    escalationFor: ['overload'],
    prior: { successRate: 0.9, recoveryMs: 20_000, risk: 0.5 },
    // Shed requests count as lost: only worth it where the service already loses more than it would shed.
    expand: (c) =>
      c.failure.load !== undefined &&
      c.failure.load.goodputRps >= (1 - SHED_FRACTION) * c.failure.load.originalRps
        ? null
        : nonEmpty([
            c.failure.services.map(
              (service) => ({ kind: 'shed-load', service, fraction: SHED_FRACTION }) as const,
            ),
          ]),
  },
  {
    id: 'shed-to-capacity',
    type: 'Reconfigure',
    summary:
      "admission control for a retry storm: bound the clients' retries to a budget and shed the share of requests that brings the attempts under capacity, so the backlog drains and clients stop timing out (both lifted once goodput is back)",
    causes: ['retry-storm'],
    escalationFor: [],
    // Users are refused while the backlog drains: a real cost, for a cure that works whatever the retries.
    prior: { successRate: 0.9, recoveryMs: 25_000, risk: 0.4 },
    expand: (c) => {
      const load = c.failure.load;
      if (load === undefined) return null;
      const fraction = shedToCapacity(load.originalRps, load.throughputRps);
      return nonEmpty([
        c.failure.services.flatMap((service) => [
          { kind: 'set-retry-budget', service, budget: STORM_BUDGET } as const,
          { kind: 'shed-load', service, fraction } as const,
        ]),
      ]);
    },
  },
  {
    id: 'retry-budget',
    type: 'Reconfigure',
    summary:
      "bound the clients' retries to a budget (20 % of requests + 10/s), so retries can no longer sustain the overload (lifted once goodput is back)",
    causes: ['retry-storm'],
    // For an overload only where clients retry: a budget does nothing to a load of first attempts.
    escalationFor: ['overload'],
    prior: { successRate: 0.8, recoveryMs: 40_000, risk: 0.1 },
    expand: (c) =>
      c.failure.cause === 'overload' && !c.failure.evidence.includes('retry-amplification')
        ? null
        : nonEmpty([
            c.failure.services.map(
              (service) => ({ kind: 'set-retry-budget', service, budget: STORM_BUDGET }) as const,
            ),
          ]),
  },
  {
    id: 'lift-mitigation',
    type: 'Reconfigure',
    summary:
      'roll back the shedding and retry budget the loop put on a service, once its backlog has drained and goodput is back',
    causes: ['lift-mitigation'],
    escalationFor: [],
    prior: { successRate: 0.95, recoveryMs: 20_000, risk: 0.05 },
    expand: (c) =>
      nonEmpty([
        c.failure.services.flatMap((service) => [
          { kind: 'shed-load', service, fraction: 0 } as const,
          { kind: 'set-retry-budget', service, budget: null } as const,
        ]),
      ]),
  },
  ...PROCESS_STRATEGIES,
  {
    id: 'open-circuit',
    type: 'Reconfigure',
    summary:
      "open the caller's circuit breaker to a failing dependency (Envoy outlier ejection, Hystrix): its calls fail at once and its fallback answers, degraded but fast, instead of holding workers on timeouts; only where the call has a fallback",
    causes: ['dependency', 'cascade'],
    escalationFor: [],
    prior: { successRate: 0.9, recoveryMs: 15_000, risk: 0.2 },
    // Without a fallback an open circuit fails every request at once: no better than the failing calls.
    expand: (c) => {
      const edge = c.failure.call;
      return edge === undefined || !edge.fallback
        ? null
        : nonEmpty([[{ kind: 'open-circuit', service: edge.caller, callee: edge.callee } as const]]);
    },
  },
  {
    id: 'close-circuit',
    type: 'Reconfigure',
    summary:
      'close a circuit the loop opened once it has slept and the dependency looks healthy (the half-open probe: if calls still fail, the diagnosis opens it again)',
    causes: ['close-circuit'],
    escalationFor: [],
    prior: { successRate: 0.95, recoveryMs: 15_000, risk: 0.1 },
    expand: (c) => {
      const edge = c.failure.call;
      return edge === undefined
        ? null
        : nonEmpty([[{ kind: 'close-circuit', service: edge.caller, callee: edge.callee } as const]]);
    },
  },
];

/** How a reversible action is undone, as data; actions missing here are not rolled back. */
const UNDO: {
  readonly [K in ActionKind]?: (r: Extract<ActionRequest, { kind: K }>) => ActionRequest;
} = {
  'drain-node': (r) => ({ kind: 'undrain-node', node: r.node }),
  'cordon-node': (r) => ({ kind: 'uncordon-node', node: r.node }),
  'scale-out': (r) => ({ kind: 'scale-in', service: r.service, count: r.count }),
  'shed-load': (r) => ({ kind: 'shed-load', service: r.service, fraction: 0 }),
  'set-retry-budget': (r) => ({ kind: 'set-retry-budget', service: r.service, budget: null }),
  'open-circuit': (r) => ({ kind: 'close-circuit', service: r.service, callee: r.callee }),
};

/** The request that undoes `request`, if it is reversible. */
export const undoOf = (request: ActionRequest): ActionRequest | undefined => {
  const undo = UNDO[request.kind] as ((r: ActionRequest) => ActionRequest) | undefined;
  return undo?.(request);
};

/** Expands a strategy into the plan's actions, or null when it does not apply to this failure now. */
export const expandStrategy = (strategy: Strategy, c: ExpandContext): RecoveryAction[] | null => {
  const expansion = strategy.expand(c);
  if (expansion === null) return null;
  const action = (request: ActionRequest, stage: number, background: boolean): RecoveryAction => ({
    type: ACTION_CATALOG[request.kind].type,
    request,
    stage,
    reversible: UNDO[request.kind] !== undefined,
    background,
  });
  return [
    ...expansion.stages.flatMap((requests, stage) => requests.map((r) => action(r, stage, false))),
    ...(expansion.background ?? []).map((r) => action(r, 0, true)),
  ];
};

/** Total cost of a plan's actions, from the effector catalog (per replica for scaling). */
export const costOf = (actions: readonly RecoveryAction[]): number =>
  actions.reduce((sum, a) => {
    const units = a.request.kind === 'scale-out' || a.request.kind === 'scale-in' ? a.request.count : 1;
    return sum + ACTION_CATALOG[a.request.kind].cost * units;
  }, 0);
