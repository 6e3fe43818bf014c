import type { ActionRequest, ActionType } from '../cluster/actions.ts';
import type { NodeId } from '../cluster/ids.ts';
import type { DetectedFailure, RootCause, StrategyId, Topology } from './types.ts';

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
export type Expansion = {
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
