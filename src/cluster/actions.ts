import type { NodeId, ReplicaId, ServiceId } from './ids.ts';
import type { RetryBudget } from './queueing/retry-policy.ts';
import type { EffectorSpec } from './spec.ts';

/** The four families of recovery action. */
export type ActionType = 'Restart' | 'Failover' | 'Scale' | 'Reconfigure';

/** A concrete request to an effector. */
export type ActionRequest =
  | { readonly kind: 'restart-node'; readonly node: NodeId }
  | {
      readonly kind: 'restart-replica';
      readonly replica: ReplicaId;
      /** Restarted by the node's own agent (a kubelet): needs the node up, not the control plane's link to it. */
      readonly local?: boolean;
    }
  | {
      readonly kind: 'move-replica';
      readonly replica: ReplicaId;
      readonly toNode?: NodeId;
      /**
       * Start the new replica before deleting the old one, and delete it only once the load balancer has had
       * time to admit the new one (a rolling update's surge). For a replica that still serves; without it the
       * old one is deleted at once, as for a pod on a dead node.
       */
      readonly surge?: boolean;
    }
  | {
      readonly kind: 'promote-replica';
      readonly service: ServiceId;
      /** The replica to promote; without it, the reachable replica furthest along the log (as Patroni picks). */
      readonly replica?: ReplicaId;
      /** Nodes whose replicas must not be picked (Patroni's `nofailover` tag): nodes being evacuated. */
      readonly avoidNodes?: readonly NodeId[];
    }
  | { readonly kind: 'scale-out'; readonly service: ServiceId; readonly count: number }
  | { readonly kind: 'scale-in'; readonly service: ServiceId; readonly count: number }
  | { readonly kind: 'drain-node'; readonly node: NodeId }
  | { readonly kind: 'undrain-node'; readonly node: NodeId }
  | { readonly kind: 'shed-load'; readonly service: ServiceId; readonly fraction: number }
  | {
      /**
       * Reconfigures the retry budget of a service's clients (the mesh's or client library's retry policy, as
       * Envoy's `retry_budget` or Finagle's `RetryBudget`); null restores the scenario's own policy.
       */
      readonly kind: 'set-retry-budget';
      readonly service: ServiceId;
      readonly budget: RetryBudget | null;
    }
  | { readonly kind: 'raise-limit'; readonly node: NodeId; readonly resource: 'memory' | 'disk' }
  | { readonly kind: 'cordon-node'; readonly node: NodeId }
  | { readonly kind: 'uncordon-node'; readonly node: NodeId }
  /**
   * Rolls the service's replicas that run a newer version back to the version before it: a rolling update,
   * a quarter of the service's replicas at a time, each batch taking a replica start.
   */
  | { readonly kind: 'rollback'; readonly service: ServiceId }
  | {
      /**
       * Opens the circuit breaker of a caller's calls to a callee (Envoy's outlier detection ejecting the
       * destination, Hystrix's open state): every call fails at once, the fallback answers where there is one.
       */
      readonly kind: 'open-circuit';
      readonly service: ServiceId;
      readonly callee: ServiceId;
    }
  | { readonly kind: 'close-circuit'; readonly service: ServiceId; readonly callee: ServiceId };

/** The name of an action. */
export type ActionKind = ActionRequest['kind'];

/** What is known about an action before it runs. */
export interface ActionDefinition {
  readonly type: ActionType;
  /** Abstract cost units per action (per replica for scaling): disruption, money, operator attention. */
  readonly cost: number;
  /** Sim time the action takes, from the effector timings. */
  readonly durationMs: (t: EffectorSpec) => number;
  /** Whether the control plane must reach the target node (false: goes through the cloud API). */
  readonly needsLink: boolean;
  /** The action that undoes this one, for rollback. */
  readonly undoneBy?: ActionKind;
  readonly summary: string;
}

/** Every effector action, as data: type, cost, duration and reach. */
export const ACTION_CATALOG: Readonly<Record<ActionKind, ActionDefinition>> = {
  'restart-node': {
    type: 'Restart',
    cost: 10,
    durationMs: (t) => t.nodeBootMs,
    needsLink: false,
    summary: 'power-cycle a machine through the cloud API; it boots and starts its replicas again',
  },
  'restart-replica': {
    type: 'Restart',
    cost: 2,
    durationMs: (t) => t.replicaStartMs,
    needsLink: true,
    summary: 'restart one replica in place',
  },
  'move-replica': {
    type: 'Failover',
    cost: 3,
    durationMs: (t) => t.replicaStartMs,
    needsLink: false,
    summary: 'delete a replica and start a new one on another node (a rescheduled pod)',
  },
  'promote-replica': {
    type: 'Failover',
    cost: 5,
    durationMs: (t) => t.promoteMs,
    needsLink: false,
    summary:
      'make a replica the primary of a stateful service, waiting out the old primary lease when fencing',
  },
  'scale-out': {
    type: 'Scale',
    cost: 4,
    durationMs: (t) => t.replicaStartMs,
    needsLink: false,
    undoneBy: 'scale-in',
    summary: 'add replicas on the least loaded healthy nodes',
  },
  'scale-in': {
    type: 'Scale',
    cost: 1,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    undoneBy: 'scale-out',
    summary: 'remove replicas, never a primary, the least useful first',
  },
  'drain-node': {
    type: 'Reconfigure',
    cost: 1,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    undoneBy: 'undrain-node',
    summary: "reroute: take a node's replicas out of the load balancer's rotation",
  },
  'undrain-node': {
    type: 'Reconfigure',
    cost: 1,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    undoneBy: 'drain-node',
    summary: "put a drained node's replicas back in rotation",
  },
  'shed-load': {
    type: 'Reconfigure',
    cost: 8,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    summary: 'reject a fraction of the offered load at the door (0 stops shedding)',
  },
  'set-retry-budget': {
    type: 'Reconfigure',
    // A config push to the clients' sidecars: cheap, and it refuses no user (retries beyond it fail fast).
    cost: 3,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    summary: "bound a service's client retries to a budget (null restores the scenario's retry policy)",
  },
  'raise-limit': {
    type: 'Reconfigure',
    cost: 6,
    durationMs: (t) => t.raiseLimitMs,
    needsLink: false,
    summary: "grow a node's memory or disk through the cloud API",
  },
  'cordon-node': {
    type: 'Reconfigure',
    cost: 0.5,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    undoneBy: 'uncordon-node',
    summary: 'stop placing new replicas on a node',
  },
  'uncordon-node': {
    type: 'Reconfigure',
    cost: 0.5,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    undoneBy: 'cordon-node',
    summary: 'allow new replicas on a node again',
  },
  rollback: {
    type: 'Reconfigure',
    // A redeploy of the previous revision: every replica rolled restarts, and someone's release is undone.
    cost: 5,
    durationMs: (t) => t.replicaStartMs,
    needsLink: false,
    summary:
      "roll a service's replicas on a newer version back to the previous one (a rolling update, a quarter of the replicas a batch, one replica start each)",
  },
  'open-circuit': {
    type: 'Reconfigure',
    // A config push to the caller's sidecars; cheap, but every call fails fast until it closes (degraded
    // answers with a fallback, errors without).
    cost: 2,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    undoneBy: 'close-circuit',
    summary: "open the circuit breaker of a service's calls to a failing dependency: calls fail at once",
  },
  'close-circuit': {
    type: 'Reconfigure',
    cost: 1,
    durationMs: (t) => t.reconfigureMs,
    needsLink: false,
    undoneBy: 'open-circuit',
    summary: 'close a circuit breaker again (the half-open probe passed): calls reach the dependency',
  },
};

/** Why an action did not do what was asked. */
export type ActionFailure =
  | { readonly kind: 'unknown-target'; readonly target: string }
  | { readonly kind: 'unreachable'; readonly node: NodeId }
  | { readonly kind: 'precondition'; readonly reason: string }
  | { readonly kind: 'no-capacity'; readonly service: ServiceId }
  | { readonly kind: 'transient'; readonly reason: string };

/** An action's outcome, delivered at its completion time. */
export type ActionOutcome =
  | {
      readonly ok: true;
      readonly id: number;
      readonly request: ActionRequest;
      readonly startedAtMs: number;
      readonly finishedAtMs: number;
      /** Acknowledged writes lost by a promotion (0 otherwise). */
      readonly lostWrites: number;
    }
  | {
      readonly ok: false;
      readonly id: number;
      readonly request: ActionRequest;
      readonly startedAtMs: number;
      readonly finishedAtMs: number;
      readonly failure: ActionFailure;
    };

/** A human-readable line for an action, for traces and reports. */
export const describeAction = (a: ActionRequest): string => {
  switch (a.kind) {
    case 'restart-replica':
    case 'move-replica':
      return `${a.kind} ${a.replica}${a.kind === 'move-replica' && a.toNode !== undefined ? ` -> ${a.toNode}` : ''}${
        a.kind === 'move-replica' && a.surge === true ? ' (surge)' : ''
      }`;
    case 'promote-replica':
      return `${a.kind} ${a.service}${a.replica === undefined ? '' : ` -> ${a.replica}`}`;
    case 'scale-out':
    case 'scale-in':
      return `${a.kind} ${a.service} by ${a.count}`;
    case 'rollback':
      return `${a.kind} ${a.service}`;
    case 'shed-load':
      return `${a.kind} ${a.service} ${Math.round(a.fraction * 100)}%`;
    case 'set-retry-budget':
      return `${a.kind} ${a.service} ${
        a.budget === null ? 'off' : `${Math.round(a.budget.ratio * 100)}% + ${a.budget.minRetriesPerSecond}/s`
      }`;
    case 'raise-limit':
      return `${a.kind} ${a.node} ${a.resource}`;
    case 'open-circuit':
    case 'close-circuit':
      return `${a.kind} ${a.service}->${a.callee}`;
    default:
      return `${a.kind} ${a.node}`;
  }
};
