import type { Parameters } from 'fast-check';
import { baseScenario } from '../../src/testing/base-scenario.ts';
import type { ScenarioInput } from '../../src/testing/scenario-input.ts';

/** What every property of the suite receives: one generated scenario. */
type PropertyArgs = [ScenarioInput];

/**
 * Property tests run with a fixed seed and a modest number of runs in CI, so `npm test` stays fast and
 * gives the same verdict every time. For a long search: `MAPEK_PROPERTY_RUNS=10000 npm test`, and
 * `MAPEK_PROPERTY_SEED=<n>` to look somewhere else.
 */
const longRuns = Number(process.env.MAPEK_PROPERTY_RUNS ?? '');
const seed = Number(process.env.MAPEK_PROPERTY_SEED ?? '');

/** fast-check parameters for a property test: `ciRuns` runs, unless MAPEK_PROPERTY_RUNS says otherwise. */
export const propertyParams = (ciRuns: number): Parameters<PropertyArgs> => ({
  seed: Number.isSafeInteger(seed) && process.env.MAPEK_PROPERTY_SEED !== undefined ? seed : 1,
  numRuns: Number.isSafeInteger(longRuns) && longRuns > 0 ? longRuns : ciRuns,
});

/** A test timeout that grows with the runs: a long search must not be cut off by vitest's 60 s default. */
export const propertyTimeout = (ciRuns: number, msPerRun = 100): number =>
  Math.max(60_000, (propertyParams(ciRuns).numRuns ?? ciRuns) * msPerRun);

/** A scenario file of the property suite, as a base to replace faults in, and its budget. */
export const fixture = (name: string) => baseScenario(`test/properties/fixtures/${name}`);
