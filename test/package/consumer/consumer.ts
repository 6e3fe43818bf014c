// A TypeScript consumer compiled by tsc with module node16 and skipLibCheck false: every declaration file
// of mapek and of the packages its types name must resolve and check.
import { type LoadedScenario, loadScenarioFile, type RunResult, runScenario } from 'mapek';
import { arbitraries, baseScenario, properties } from 'mapek/testing';

export const run = (file: string): RunResult | string => {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) return loaded.error.message;
  const scenario: LoadedScenario['scenario'] = loaded.value.scenario;
  const result = runScenario(scenario, { seed: 1 });
  return result.ok ? result.value : result.error.message;
};

export const traceHash = (r: RunResult): string => r.outcome.traceHash;

// The types are real, not `any`: a seed is a number.
// @ts-expect-error
export const wrong = (s: LoadedScenario['scenario']) => runScenario(s, { seed: 'one' });

export const property = (file: string) => {
  const { input, budget } = baseScenario(file);
  return { arbitrary: arbitraries.scenarioWithFaults(input, budget), check: properties.isDeterministic() };
};
