import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { budgetFromScenario, type FaultBudget } from '../../src/testing/fault-budget.ts';
import type { ScenarioInput } from '../../src/testing/scenario-input.ts';

/** One node down is survivable, two at once are not, and the noop policy cannot help (see the fixture). */
export const PLANTED = 'test/fixtures/two-crashes-noop.yaml';

/** The planted weakness as a search's base scenario, with the fault budget its random block gives. */
export const loadPlanted = (): { readonly base: ScenarioInput; readonly budget: FaultBudget } => {
  const loaded = loadScenarioFile(PLANTED);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const b = budgetFromScenario(loaded.value.scenario);
  if (!b.ok) throw new Error(b.error.message);
  return { base: loaded.value.input as ScenarioInput, budget: b.value };
};
