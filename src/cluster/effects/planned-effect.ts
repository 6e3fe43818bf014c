import type { NodeId, ReplicaId, ServiceId } from '../ids.ts';
import type { RetryBudget } from '../queueing/retry-policy.ts';

/**
 * One change an action makes to the cluster, as data: what `apply` carries out. Targets are named by id,
 * looked up when applied (a replica deleted since the plan was made is skipped, as the cluster ignores
 * changes to a removed replica).
 */
export type PlannedEffect =
  | { readonly op: 'boot-node'; readonly node: NodeId; readonly bootMs: number; readonly hangs: boolean }
  | { readonly op: 'restart-replica'; readonly replica: ReplicaId; readonly startMs: number }
  | { readonly op: 'stop-replica'; readonly replica: ReplicaId }
  | { readonly op: 'evict'; readonly replica: ReplicaId; readonly evicted: boolean }
  | {
      readonly op: 'add-replica';
      readonly service: ServiceId;
      readonly node: NodeId;
      readonly startMs: number;
      /** The id the new replica gets (the service's next number). */
      readonly replica: ReplicaId;
    }
  | { readonly op: 'remove-replica'; readonly replica: ReplicaId }
  | { readonly op: 'pause-writes'; readonly replica: ReplicaId; readonly paused: boolean }
  | { readonly op: 'promote'; readonly replica: ReplicaId }
  | { readonly op: 'set-drained'; readonly node: NodeId; readonly drained: boolean }
  | { readonly op: 'set-cordoned'; readonly node: NodeId; readonly cordoned: boolean }
  | { readonly op: 'set-shed'; readonly service: ServiceId; readonly fraction: number }
  /** Reconfigures a service's clients' retry budget; null restores the scenario's policy. */
  | { readonly op: 'set-retry-budget'; readonly service: ServiceId; readonly budget: RetryBudget | null }
  | { readonly op: 'raise-limit'; readonly node: NodeId; readonly resource: 'memory' | 'disk' }
  /** Rolls these replicas back to their previous version, `batch` at a time, each batch `startMs` apart. */
  | {
      readonly op: 'roll-back';
      readonly service: ServiceId;
      readonly replicas: readonly ReplicaId[];
      readonly batch: number;
      readonly startMs: number;
    }
  /** Opens or closes the circuit breaker of a caller's calls to a callee. */
  | {
      readonly op: 'set-circuit';
      readonly service: ServiceId;
      readonly callee: ServiceId;
      readonly open: boolean;
    };

/** What the action checks when it completes, before it counts as done. */
export type CompletionCheck =
  | { readonly kind: 'none' }
  | { readonly kind: 'node-up'; readonly node: NodeId }
  | { readonly kind: 'replica-alive'; readonly replica: ReplicaId };

/** How an ordinary action ends: a check, then the effects of success or of failure. */
export interface CheckedCompletion {
  readonly kind: 'checked';
  readonly check: CompletionCheck;
  readonly onSuccess: readonly PlannedEffect[];
  readonly onFailure: readonly PlannedEffect[];
  /** The transient failure's reason when the action or its check fails. */
  readonly reason: string;
}

/** How a promotion ends: the lease and the leader race are looked at again when it lands. */
export interface PromotionCompletion {
  readonly kind: 'promotion';
  readonly service: ServiceId;
  /** The replica asked for, or undefined to run the leader race again. */
  readonly named: ReplicaId | undefined;
  /** The replica chosen at dispatch. */
  readonly chosen: ReplicaId;
  readonly avoidNodes: readonly NodeId[];
  /**
   * The primary at dispatch. Looked up with deleted replicas included: a primary deleted since still holds
   * the lease it held (its record keeps its expiry), and the promotion must wait it out.
   */
  readonly oldPrimary: ReplicaId | null;
  /** Whether the old primary paused its writes for a switchover (resumed if the promotion is abandoned). */
  readonly switchover: boolean;
}

/** What an action does at its completion time. */
export type Completion = CheckedCompletion | PromotionCompletion;

/** A request resolved against the cluster: what happens at dispatch, how long it takes, how it ends. */
export interface ActionPlan {
  readonly durationMs: number;
  readonly cost: number;
  /** Applied at dispatch. */
  readonly now: readonly PlannedEffect[];
  /** Settled at dispatch + `durationMs`. */
  readonly completion: Completion;
}
