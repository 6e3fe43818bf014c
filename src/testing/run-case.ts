import type { PolicyName } from '../controllers/controller-spec.ts';
import { formatLoadError } from '../report/console-report.ts';
import { parseScenarioValue } from '../scenario/loader.ts';
import type { RunResult } from '../scenario/runner.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import { runSweepJob, thrownError } from '../sweep/sweep-job.ts';
import { PropertyFailure } from './property-failure.ts';
import type { ScenarioInput } from './scenario-input.ts';

/** How a property runs each generated scenario. */
export interface CaseOptions {
  /** Simulation seed; default: the scenario's `seed`. */
  readonly seed?: number;
  /** Controller; default: the scenario's `controller.policy`. */
  readonly policy?: PolicyName;
  /** Keep the trace lines in the result (slower; the hash is computed either way). */
  readonly keepTrace?: boolean;
  /** Check the safety invariants online (default on: a property run is a test). */
  readonly checkInvariants?: boolean;
}

/** What a generated scenario is called in messages. */
const LABEL = 'generated scenario';

/** Checks a scenario in file form; an invalid one throws a `PropertyFailure` of kind `invalid-scenario`. */
export const parseCase = (input: ScenarioInput): Scenario => {
  const parsed = parseScenarioValue(input, LABEL);
  if (!parsed.ok) {
    throw new PropertyFailure('invalid-scenario', formatLoadError(parsed.error).join('\n'));
  }
  return parsed.value;
};

/**
 * Runs a scenario in file form once, as one job of the sweep service, and returns the judged run. Throws a `PropertyFailure` when the
 * scenario is invalid or cannot run, so a broken arbitrary is never mistaken for a resilient cluster.
 */
export const runCase = (input: ScenarioInput, options: CaseOptions = {}): RunResult => {
  const scenario = parseCase(input);
  const { outcome } = runSweepJob(scenario, {
    index: 0,
    seed: options.seed ?? scenario.seed,
    keepTrace: options.keepTrace ?? false,
    checkInvariants: options.checkInvariants ?? true,
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  });
  if (outcome.kind === 'threw') throw thrownError(outcome);
  if (outcome.kind === 'refused')
    throw new PropertyFailure('run-failed', `${LABEL}: ${outcome.error.message}`);
  return outcome.result;
};
