import type { Strategy, StrategyPrior } from './strategy.ts';
import { STRATEGY_CATALOG } from './strategy-catalog.ts';
import type { RootCause, StrategyId } from './types.ts';

/** Every root cause the analysis can diagnose, in the order docs list them. */
export const ROOT_CAUSES = [
  'crash',
  'oom-crash',
  'partition',
  'cpu',
  'memory',
  'disk',
  'slow-node',
  'overload',
  'hang',
  'crash-loop',
  'bad-deploy',
  'process-leak',
] as const satisfies readonly RootCause[];

/** One row of a strategy catalog file: a built-in strategy, optionally re-assigned and re-weighted. */
export interface StrategyOverride {
  readonly id: StrategyId;
  /** Root causes it is a first-line candidate for; absent: as built in. */
  readonly causes?: readonly RootCause[];
  /** Root causes it is tried for once escalated; absent: as built in. */
  readonly escalationFor?: readonly RootCause[];
  /** The planner's belief before knowledge has seen it run; each field absent: as built in. */
  readonly prior?: Partial<StrategyPrior>;
}

/**
 * A strategy catalog file, as data: the strategies the planner may use, in the order that breaks utility
 * ties. A strategy left out is never planned; how each one expands into actions stays built in.
 */
export interface StrategyCatalogOverrides {
  readonly strategies: readonly StrategyOverride[];
}

const BY_ID = new Map(STRATEGY_CATALOG.map((s) => [s.id, s]));

/** The planner's catalog a file describes: the listed built-in strategies, in its order, with its changes. */
export const catalogFrom = (file: StrategyCatalogOverrides): readonly Strategy[] =>
  file.strategies.flatMap((o): Strategy[] => {
    const base = BY_ID.get(o.id);
    if (base === undefined) return [];
    return [
      {
        ...base,
        causes: o.causes ?? base.causes,
        escalationFor: o.escalationFor ?? base.escalationFor,
        prior: { ...base.prior, ...o.prior },
      },
    ];
  });
