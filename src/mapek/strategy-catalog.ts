import { PROCESS_STRATEGIES } from './process-strategies.ts';
import { STORM_BUDGET, shedToCapacity } from './shed-to-capacity.ts';
import type { Strategy } from './strategy.ts';
import {
  canPromote,
  failover,
  nonEmpty,
  reboot,
  scaleForNodes,
  scaleService,
  shedWhileScaling,
} from './strategy-expansions.ts';
import { placementsOn } from './topology.ts';

/** Fraction of an overloaded service's load shed as a last resort. */
const SHED_FRACTION = 0.2;

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
