import { formatLoadError } from '../report/console-report.ts';
import { loadScenarioFile } from '../scenario/loader.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import { type BudgetOverrides, budgetFromScenario, type FaultBudget } from './fault-budget.ts';
import { PropertyFailure } from './property-failure.ts';
import type { ScenarioInput } from './scenario-input.ts';

/** A scenario file read as the base of a property: its file form, the scenario, and its fault budget. */
export interface BaseScenario {
  readonly input: ScenarioInput;
  readonly scenario: Scenario;
  readonly budget: FaultBudget;
}

/**
 * Reads a scenario file to replace the faults of, with the fault budget its `faults.random` blocks allow
 * (and the overrides). For test setup: a bad file or a missing budget throws a `PropertyFailure` of kind
 * `invalid-scenario` whose message names the file, line and field.
 */
export const baseScenario = (file: string, overrides: BudgetOverrides = {}): BaseScenario => {
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new PropertyFailure('invalid-scenario', formatLoadError(loaded.error).join('\n'));
  const { input, scenario } = loaded.value;
  const budget = budgetFromScenario(scenario, overrides);
  if (!budget.ok) throw new PropertyFailure('invalid-scenario', `${file}: ${budget.error.message}`);
  return { input: input as ScenarioInput, scenario, budget: budget.value };
};
