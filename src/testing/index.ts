/**
 * `mapek/testing`: property-based resilience tests for your own cluster, with fast-check.
 *
 * ```ts
 * import fc from 'fast-check';
 * import { arbitraries, baseScenario, properties } from 'mapek/testing';
 *
 * const { input, budget } = baseScenario('my-cluster.yaml');
 * fc.assert(fc.property(arbitraries.scenarioWithFaults(input, budget), properties.recoversWithinSlos()));
 * ```
 *
 * Every property is a predicate over a scenario in file form that throws a {@link PropertyFailure} when it
 * does not hold, so it works with plain `fc.property` and with `test.prop` from `@fast-check/vitest`. See
 * docs/properties.md.
 */

/** Loading scenario files, to take a base scenario and its budget from a file. */
export { type LoadedScenario, loadScenarioFile, loadScenarioText } from '../scenario/loader.ts';
/**
 * fast-check arbitraries: clusters, workloads, whole scenarios, and fault schedules within a fault budget
 * (shrinking towards fewer, earlier, shorter, smaller, milder faults).
 */
export * as arbitraries from './arbitraries.ts';
/** A scenario file as the base of a property: its file form, the scenario and its fault budget. */
export { type BaseScenario, baseScenario } from './base-scenario.ts';
/** Writes a counterexample as an ordinary scenario file with a header saying how it was found. */
export { type CounterexampleOrigin, renderCounterexample, violatedNames } from './counterexample-file.ts';
/** Checks that a written counterexample replays to the same violation. */
export { replayCheck } from './counterexample-replay.ts';
/** The search behind `mapek explore`: random schedules within a budget, shrunk to a minimal violation. */
export {
  type Counterexample,
  type CounterexampleReason,
  type ExploreOptions,
  type ExplorePhase,
  type ExploreResult,
  explore,
} from './explore.ts';
/** The same search judged ahead in parallel rounds (on a worker pool), with the same answer. */
export {
  type AdaptiveEvaluatorOptions,
  adaptiveEvaluator,
  type ExploreAheadOptions,
  exploreAhead,
  poolEvaluator,
  type Verdict,
} from './explore-ahead.ts';
/** Fault budgets: what schedules may contain, written by hand or taken from a scenario's random blocks. */
export {
  type BudgetError,
  type BudgetOverrides,
  budgetFromScenario,
  DEFAULT_DURATIONS_MS,
  describeBudget,
  type FaultBudget,
} from './fault-budget.ts';
/** The no-flapping judgement on ground truth: actions on nodes no fault implicates. */
export {
  FLAPPING_DEFAULTS,
  type FlappingOptions,
  type UnprovokedAction,
  unprovokedActions,
} from './flapping.ts';
/**
 * Property helpers: predicates over a scenario (recovers within its SLOs, loses no acknowledged write, never
 * has two primaries, never flaps, is deterministic) and the run checks they are made of.
 */
export * as properties from './properties.ts';
/** The error a property throws when it does not hold. */
export { failedRun, PropertyFailure, type PropertyFailureKind } from './property-failure.ts';
/** Runs one scenario in file form, as the properties do. */
export { type CaseOptions, parseCase, runCase } from './run-case.ts';
/** Scenarios and fault entries in file form. */
export { type FaultEntryInput, faultsOf, type ScenarioInput, withFaults } from './scenario-input.ts';
