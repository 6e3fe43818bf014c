import type { ExploreResult } from './explore.ts';

/**
 * The result one unsharded search gives, from the results of every shard of it (`ExploreOptions.shard`, the
 * same scenario, budget, seed and runs): the counterexample that comes first in the candidates, or, when no
 * shard found one, a pass over every run. The shards' candidates are disjoint, so no two failures tie. Which
 * shard found the first failure decides nothing else: that shard saw every candidate before it pass, as the
 * unsharded search did, and shrank the failure as it would have. The answer is one of `results` itself (null
 * for none), so a caller can tell which shard gave it.
 */
export const mergeExploreShards = (results: readonly ExploreResult[]): ExploreResult | null => {
  let first: Extract<ExploreResult, { kind: 'counterexample' }> | null = null;
  for (const r of results) {
    if (r.kind !== 'counterexample') continue;
    if (first === null || r.counterexample.runsToFailure < first.counterexample.runsToFailure) first = r;
  }
  if (first !== null) return first;
  const [one] = results;
  return one ?? null;
};
