import { beforeAll, describe, expect, it } from 'vitest';
import { caseFails, type ExplorePhase, explore } from '../../src/testing/explore.ts';
import { ExploreStopped, exploreAhead, type Verdict } from '../../src/testing/explore-ahead.ts';
import type { FaultBudget } from '../../src/testing/fault-budget.ts';
import type { ScenarioInput } from '../../src/testing/scenario-input.ts';
import { loadPlanted } from '../support/planted.ts';

let base: ScenarioInput = {};
let budget: FaultBudget;

beforeAll(() => {
  ({ base, budget } = loadPlanted());
});

/** Judges here, in rounds, as a pool would; each run "takes" `wallMs`, and every round is recorded. */
const roundsOf = (wallMs: number) => {
  const rounds: number[] = [];
  const evaluate = async (inputs: readonly ScenarioInput[]): Promise<Verdict[]> => {
    rounds.push(inputs.length);
    return inputs.map((i) => ({ fails: caseFails(i), wallMs }));
  };
  return { rounds, evaluate };
};

describe('exploreAhead: the search judged ahead, in rounds', () => {
  it('finds the counterexample the sequential search finds, shrinking in parallel for long runs', async () => {
    const sequential = explore(base, { budget, runs: 100, seed: 7 });
    const { rounds, evaluate } = roundsOf(1_000);

    const ahead = await exploreAhead(base, {
      budget,
      runs: 100,
      seed: 7,
      evaluate,
      searchAhead: 8,
      shrinkAhead: 2,
      shrinkParallelMs: 100,
    });

    expect(ahead).toEqual(sequential);
    // Every schedule was judged through the rounds (none here), most rounds two shrinks at once.
    expect(rounds.length).toBeGreaterThan(2);
    expect(Math.max(...rounds)).toBe(8);
  });

  it('shrinks short runs here, after a parallel search, to the same answer, counting every run', async () => {
    const sequential = explore(base, { budget, runs: 100, seed: 21 });
    const { rounds, evaluate } = roundsOf(1);
    const seen: Record<ExplorePhase, number> = { search: 0, shrink: 0 };

    const ahead = await exploreAhead(base, {
      budget,
      runs: 100,
      seed: 21,
      evaluate,
      searchAhead: 16,
      shrinkAhead: 2,
      shrinkParallelMs: 100,
      onRun: (phase, n) => {
        seen[phase] = n;
      },
    });

    expect(ahead).toEqual(sequential);
    expect(rounds).toEqual([16]);
    expect(seen.shrink).toBeGreaterThan(0);
  });

  it('passes as the sequential search passes, in rounds of the search', async () => {
    const healthy = { ...base, slo: { availability: '50%' } } as ScenarioInput;
    const sequential = explore(healthy, { budget, runs: 30, seed: 3 });
    const { rounds, evaluate } = roundsOf(1);

    const ahead = await exploreAhead(healthy, {
      budget,
      runs: 30,
      seed: 3,
      evaluate,
      searchAhead: 8,
      shrinkAhead: 2,
      shrinkParallelMs: 100,
    });

    expect(ahead).toEqual(sequential);
    expect(ahead.kind).toBe('passed');
    // Four rounds for 30 schedules, 8 at a time (a schedule drawn twice is judged once).
    expect(rounds).toHaveLength(4);
    expect(rounds.slice(0, 3)).toEqual([8, 8, 8]);
  });

  it('stops between rounds when asked (Ctrl-C), after the rounds it has judged', async () => {
    const { rounds, evaluate } = roundsOf(1);
    let asked = 0;

    const healthy = { ...base, slo: { availability: '50%' } } as ScenarioInput;
    const search = exploreAhead(healthy, {
      budget,
      runs: 30,
      seed: 3,
      evaluate,
      searchAhead: 4,
      shrinkAhead: 2,
      shrinkParallelMs: 100,
      // Asked before and after each round: the second round's start stops it.
      stopped: () => ++asked > 2,
    });

    await expect(search).rejects.toBeInstanceOf(ExploreStopped);
    expect(rounds).toEqual([4]);
  });
});
