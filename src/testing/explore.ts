import fc from 'fast-check';
import { inShard, type Shard } from '../base/shard.ts';
import { isBuiltinPolicy, type PolicyName } from '../controllers/controller-spec.ts';
import type { RunResult } from '../scenario/runner.ts';
import type { SloResult } from '../scenario/slo-evaluation.ts';
import type { FaultBudget } from './fault-budget.ts';
import { violatedSlos } from './properties.ts';
import { runCase } from './run-case.ts';
import { scenarioWithFaults } from './scenario-arbitraries.ts';
import { type FaultEntryInput, faultsOf, type ScenarioInput } from './scenario-input.ts';

/** What a search is doing: looking for a violation, or shrinking the one it found. */
export type ExplorePhase = 'search' | 'shrink';

/** Options of {@link explore}. */
export interface ExploreOptions {
  readonly budget: FaultBudget;
  /** Schedules to try before giving up (shrinking runs come on top). */
  readonly runs: number;
  /** fast-check's seed; default: fast-check picks one (and the result reports it). */
  readonly seed?: number;
  /** fast-check's path, with `seed`: replay the search straight to that counterexample. */
  readonly path?: string;
  /** Controller for every run, pinned in the counterexample; default: the scenario's. */
  readonly policy?: PolicyName;
  /** Called before every run, with the phase and how many runs that phase has made. */
  readonly onRun?: (phase: ExplorePhase, count: number) => void;
  /**
   * Judge only this part of the search's candidates (`--shard i/n`, index from 1): every `count`th, from the
   * `index`th, taking the others as passing. Of the shards that find a failure, the one whose failure comes
   * first in the candidates met every candidate before it as it is (they all pass), so its search, shrinking
   * included, is the unsharded search step for step: merging keeps that one (`mapek merge`).
   */
  readonly shard?: Shard;
}

/** Why the counterexample fails: SLOs it violates, or the simulation threw (a bug worth reporting). */
export type CounterexampleReason =
  | { readonly kind: 'slo-violated'; readonly violated: readonly SloResult[] }
  | { readonly kind: 'threw'; readonly message: string };

/** The smallest failing scenario a search found, and how it got there. */
export interface Counterexample {
  /** The scenario in file form: the base with the shrunk timeline, its seed and policy pinned. */
  readonly input: ScenarioInput;
  readonly faults: readonly FaultEntryInput[];
  /** The first failing schedule, before shrinking. */
  readonly firstFaults: readonly FaultEntryInput[];
  readonly reason: CounterexampleReason;
  /** The counterexample's run (null when it threw). */
  readonly run: RunResult | null;
  /** fast-check's path to the counterexample: `--seed <seed> --path <path>` replays the search to it. */
  readonly path: string;
  /** Schedules tried up to and including the first failure. */
  readonly runsToFailure: number;
  /** Successful shrink steps. */
  readonly shrinks: number;
}

/** How a search ended. */
export type ExploreResult =
  | { readonly kind: 'passed'; readonly seed: number; readonly runs: number }
  | { readonly kind: 'counterexample'; readonly seed: number; readonly counterexample: Counterexample };

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Searches for a fault schedule within the budget that makes the scenario violate one of its SLOs: keeps its
 * cluster, workload, controller and SLOs, replaces its faults with random timelines, runs each, and on the
 * first violation lets fast-check shrink the schedule to a minimal one. The search is seeded: the same
 * scenario, budget, options and seed find the same counterexample.
 */
export const explore = (base: ScenarioInput, options: ExploreOptions): ExploreResult => {
  const search = searchOnce(base, options, caseFails);
  return resultOf(search);
};

/** Whether a schedule's run fails its SLOs, run here; a simulation that throws counts as failing. */
export const caseFails = (input: ScenarioInput): boolean => {
  try {
    return runCase(input).verdict === 'fail';
  } catch {
    // A simulation that throws is a bug: a counterexample too, and the most valuable kind.
    return true;
  }
};

/**
 * The policy pinned into a search's base scenario: a built-in as `controller.policy`, a controller module as
 * `controller.module` (the scenario block's own key for it; pass an absolute path, since a module path in a
 * scenario resolves against the scenario file, and the counterexample is written elsewhere).
 */
export const pinnedBase = (base: ScenarioInput, policy: PolicyName | undefined): ScenarioInput => {
  if (policy === undefined) return base;
  const { policy: _policy, module: _module, ...rest } = asRecord(base.controller);
  return { ...base, controller: isBuiltinPolicy(policy) ? { ...rest, policy } : { ...rest, module: policy } };
};

/** One pass of fast-check over the schedules, with `fails` as the verdict of each. */
export interface SearchPass {
  readonly details: fc.RunDetails<[ScenarioInput]>;
  readonly firstFaults: readonly FaultEntryInput[];
}

/**
 * Runs fast-check's search (and shrinking) once with the verdicts `fails` gives. `onRun` is told of every
 * verdict asked for; a caller that answers some from a cache (`exploreAhead`) passes its own.
 */
export const searchOnce = (
  base: ScenarioInput,
  options: ExploreOptions,
  fails: (input: ScenarioInput, phase: ExplorePhase) => boolean,
): SearchPass => {
  const pinned = pinnedBase(base, options.policy);
  let phase: ExplorePhase = 'search';
  const counts: Record<ExplorePhase, number> = { search: 0, shrink: 0 };
  let firstFaults: readonly FaultEntryInput[] = [];
  const shard = options.shard;
  let candidates = 0;
  const property = fc.property(scenarioWithFaults(pinned, options.budget), (input) => {
    if (phase === 'search' && !inShard(shard, candidates++)) {
      return true;
    }
    counts[phase]++;
    options.onRun?.(phase, counts[phase]);
    if (!fails(input, phase)) return true;
    if (phase === 'search') {
      firstFaults = faultsOf(input);
      phase = 'shrink';
    }
    return false;
  });
  const details = fc.check(property, {
    numRuns: options.runs,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  return { details, firstFaults };
};

/** The search's answer from its pass: passed, or the counterexample (run once more here, for its report). */
export const resultOf = ({ details, firstFaults }: SearchPass): ExploreResult => {
  if (!details.failed || details.counterexample === null || details.counterexamplePath === null) {
    return { kind: 'passed', seed: details.seed, runs: details.numRuns };
  }
  const [input] = details.counterexample;
  let run: RunResult | null = null;
  let reason: CounterexampleReason;
  try {
    run = runCase(input);
    reason = { kind: 'slo-violated', violated: violatedSlos(run) };
  } catch (e) {
    reason = { kind: 'threw', message: messageOf(e) };
  }
  return {
    kind: 'counterexample',
    seed: details.seed,
    counterexample: {
      input,
      faults: faultsOf(input),
      firstFaults,
      reason,
      run,
      path: details.counterexamplePath,
      runsToFailure: details.numRuns,
      shrinks: details.numShrinks,
    },
  };
};

const asRecord = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
