import { beforeAll, describe, expect, it } from 'vitest';
import { type ExploreResult, explore } from '../../src/testing/explore.ts';
import { mergeExploreShards } from '../../src/testing/explore-shards.ts';
import type { FaultBudget } from '../../src/testing/fault-budget.ts';
import type { ScenarioInput } from '../../src/testing/scenario-input.ts';
import { loadPlanted } from '../support/planted.ts';

let base: ScenarioInput = {};
let budget: FaultBudget;

beforeAll(() => {
  ({ base, budget } = loadPlanted());
});

/** Every shard of a search of `runs` schedules, and how many schedules each one judged. */
const sharded = (count: number, runs: number, seed: number, b: FaultBudget = budget) =>
  Array.from({ length: count }, (_, i) => {
    let judged = 0;
    const result = explore(base, {
      budget: b,
      runs,
      seed,
      shard: { index: i + 1, count },
      onRun: (phase) => {
        if (phase === 'search') judged++;
      },
    });
    return { result, judged };
  });

/** A result without the run it carries (a run's objects are compared by its hash). */
const comparable = (r: ExploreResult | null) =>
  r?.kind === 'counterexample'
    ? { ...r, counterexample: { ...r.counterexample, run: r.counterexample.run?.outcome.traceHash ?? null } }
    : r;

describe('a sharded search', () => {
  it('merges to the unsharded counterexample: the same schedule, path, runs to failure and shrinks', () => {
    const whole = explore(base, { budget, runs: 100, seed: 21 });

    const shards = sharded(3, 100, 21);

    expect(whole.kind).toBe('counterexample');
    expect(comparable(mergeExploreShards(shards.map((s) => s.result)))).toEqual(comparable(whole));
  });

  it('judges each candidate in one shard only: a passing search of 60 runs splits 20, 20, 20 and merges to a pass of 60', () => {
    const quiet = { ...budget, maxConcurrent: 1 };
    const whole = explore(base, { budget: quiet, runs: 60, seed: 7 });

    const shards = sharded(3, 60, 7, quiet);

    expect(whole).toEqual({ kind: 'passed', seed: 7, runs: 60 });
    expect(shards.map((s) => s.judged)).toEqual([20, 20, 20]);
    expect(mergeExploreShards(shards.map((s) => s.result))).toEqual(whole);
  });

  it('takes the first failure in the candidates when several shards find one', () => {
    const shards = sharded(4, 100, 5).map((s) => s.result);
    const failures = shards.flatMap((r) =>
      r.kind === 'counterexample' ? [r.counterexample.runsToFailure] : [],
    );

    const merged = mergeExploreShards(shards);

    expect(failures.length).toBeGreaterThan(1);
    expect(merged?.kind === 'counterexample' && merged.counterexample.runsToFailure).toBe(
      Math.min(...failures),
    );
  });
});
