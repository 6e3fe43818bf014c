import type { ActionRequest } from '../cluster/actions.ts';
import type { NodeId } from '../cluster/ids.ts';
import { type KnowledgeView, needsPlan } from './knowledge-base.ts';
import { costOf, expandStrategy } from './recovery-actions.ts';
import type { Strategy } from './strategy.ts';
import { STRATEGY_CATALOG } from './strategy-catalog.ts';
import { isContained } from './topology.ts';
import type {
  AnalysisResult,
  DetectedFailure,
  RankedStrategy,
  RecoveryAction,
  RecoveryPlan,
  Topology,
} from './types.ts';

/** How the planner trades success against cost, time and risk, as data. */
export const UTILITY_WEIGHTS = {
  /** Value of a recovery that works. */
  success: 100,
  /** Damage of one that fails (time lost, a fallback still to come). */
  failure: 50,
  /** Per unit of effector cost. */
  cost: 1,
  /** Per second of expected recovery time. */
  second: 1,
  /** Per unit of risk (0..1). */
  risk: 30,
  /** Weight of the catalog's prior, in pseudo-observations: knowledge overrides it after a few outcomes. */
  prior: 4,
} as const;

const W = UTILITY_WEIGHTS;

/** Everything the planner reads. */
export interface PlanningInput {
  readonly analysis: AnalysisResult;
  readonly topology: Topology;
  readonly suspected: readonly NodeId[];
  readonly knowledge: KnowledgeView;
  readonly escalateAfterFailures: number;
  /** The strategies to choose from, in tie-break order; default the built-in `STRATEGY_CATALOG`. */
  readonly strategies?: readonly Strategy[];
}

/** The plans of one planning phase, and the failures it escalated or gave up on. */
export interface PlanningOutput {
  readonly plans: RecoveryPlan[];
  readonly escalated: string[];
  readonly abandoned: string[];
  /** Failures with nothing to do: no strategy applies and nothing runs on their nodes. */
  readonly contained: string[];
  /** Failures considered (what the phase's time is charged for). */
  readonly considered: number;
}

const NO_CLAIMS = { nodes: new Set<NodeId>(), replicas: new Set<string>() };

/** The replicas an action moves or promotes (to or from). */
const replicasOf = (r: ActionRequest): string[] =>
  r.kind === 'move-replica' || r.kind === 'restart-replica' || r.kind === 'promote-replica'
    ? r.replica === undefined
      ? []
      : [r.replica]
    : [];

const touches = (r: ActionRequest, claimed: ReadonlySet<string>) => replicasOf(r).some((x) => claimed.has(x));

/**
 * Ranks a strategy for a failure: the success rate is the catalog's prior blended with what knowledge has
 * seen (a Beta posterior with the prior as pseudo-observations), the expected time is the learned mean once
 * there are successes, and the utility weighs them against cost and risk.
 */
const rankStrategy = (
  strategy: Strategy,
  failure: DetectedFailure,
  actions: readonly RecoveryAction[],
  knowledge: KnowledgeView,
): RankedStrategy & { readonly cost: number } => {
  const s = knowledge.stats(failure.type, strategy.id);
  const attempts = s?.attempts ?? 0;
  const successes = s?.successes ?? 0;
  const successRate = (successes + W.prior * strategy.prior.successRate) / (attempts + W.prior);
  const expectedRecoveryMs =
    s !== undefined && s.successes > 0 ? s.totalRecoveryMs / s.successes : strategy.prior.recoveryMs;
  const cost = costOf(actions);
  const utility =
    successRate * W.success -
    (1 - successRate) * W.failure -
    cost * W.cost -
    (expectedRecoveryMs / 1_000) * W.second -
    strategy.prior.risk * W.risk;
  return {
    strategy: strategy.id,
    utility: Math.round(utility * 100) / 100,
    successRate,
    expectedRecoveryMs,
    cost,
  };
};

/**
 * The strategies that apply to a failure now, best first: first-line ones for its root cause, plus the
 * escalation tier once `escalated`, minus those already tried on it, minus those that expand to nothing.
 */
const candidatesFor = (
  failure: DetectedFailure,
  input: Omit<PlanningInput, 'analysis'>,
  tried: readonly string[],
  escalated: boolean,
  avoid: { readonly nodes: ReadonlySet<NodeId>; readonly replicas: ReadonlySet<string> } = NO_CLAIMS,
) => {
  const unreachable = new Set<NodeId>([...input.suspected, ...failure.nodes, ...avoid.nodes]);
  const out: { strategy: Strategy; actions: RecoveryAction[]; rank: ReturnType<typeof rankStrategy> }[] = [];
  for (const strategy of input.strategies ?? STRATEGY_CATALOG) {
    const applies =
      strategy.causes.includes(failure.cause) ||
      (escalated && strategy.escalationFor.includes(failure.cause));
    if (!applies || tried.includes(strategy.id)) continue;
    const actions = expandStrategy(strategy, { failure, topology: input.topology, unreachable });
    if (actions === null || actions.length === 0 || actions.some((a) => touches(a.request, avoid.replicas)))
      continue;
    out.push({ strategy, actions, rank: rankStrategy(strategy, failure, actions, input.knowledge) });
  }
  // Ties go to catalog order: the sort is stable.
  return out.sort((a, b) => b.rank.utility - a.rank.utility);
};

/**
 * The Plan phase: one plan for each diagnosed failure not already in hand, with the best-ranked strategy not
 * yet tried on it. After `escalateAfterFailures` failed attempts (or once the first line is exhausted) the
 * escalation tier opens; when nothing is left the failure is abandoned to a person.
 */
export const plan = (input: PlanningInput): PlanningOutput => {
  const plans: RecoveryPlan[] = [];
  const escalated: string[] = [];
  const abandoned: string[] = [];
  const contained: string[] = [];
  let considered = 0;
  // Plans of one cycle must not pull against each other: no promotion onto a failing node, and no replica
  // moved or promoted by two plans.
  const avoid = { nodes: new Set<NodeId>(), replicas: new Set<string>() };
  for (const f of input.analysis.failures) for (const n of f.nodes) avoid.nodes.add(n);
  for (const failure of input.analysis.failures) {
    const record = input.knowledge.failures.get(failure.key);
    if (!needsPlan(record?.status)) continue;
    considered++;
    const tried = record?.tried ?? [];
    const attempts = record?.attempts ?? 0;
    let isEscalated = record?.escalated === true || attempts >= input.escalateAfterFailures;
    let candidates = candidatesFor(failure, input, tried, isEscalated, avoid);
    if (candidates.length === 0 && !isEscalated) {
      isEscalated = true;
      candidates = candidatesFor(failure, input, tried, true, avoid);
    }
    // A strategy that failed only because an action failed transiently is owed its retry before anything else,
    // as an operator retries a flaky API call before escalating (its failed outcome has lowered its rank).
    const owed = candidates.find((c) => record?.retried.includes(c.strategy.id) === true);
    const best = owed ?? candidates[0];
    const harmless = attempts === 0 && isContained(input.topology, failure);
    if (best === undefined && harmless) {
      contained.push(failure.key);
      continue;
    }
    if (isEscalated && record?.escalated !== true) escalated.push(failure.key);
    if (best === undefined) {
      abandoned.push(failure.key);
      continue;
    }
    for (const a of best.actions) for (const r of replicasOf(a.request)) avoid.replicas.add(r);
    plans.push({
      failure,
      strategy: best.strategy.id,
      actions: best.actions,
      expectedRecoveryMs: best.rank.expectedRecoveryMs,
      expectedUtility: best.rank.utility,
      cost: best.rank.cost,
      risk: best.strategy.prior.risk,
      attempt: attempts + 1,
      escalated: isEscalated,
      alternatives: candidates
        .filter((c) => c !== best)
        .map((c) => ({
          strategy: c.rank.strategy,
          utility: c.rank.utility,
          successRate: c.rank.successRate,
          expectedRecoveryMs: c.rank.expectedRecoveryMs,
        })),
    });
  }
  return { plans, escalated, abandoned, contained, considered };
};
