import {
  checkOutputPaths,
  type InputRequest,
  type OutputRequest,
  type ResolvedOutputs,
} from '../base/output-paths.ts';
import { costLimitMessage, DEFAULT_COST_LIMIT, estimateCost } from '../scenario/cost-estimate.ts';
import type { LoadedScenario } from '../scenario/loader.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';

/**
 * Checks a command's output paths before it does any work, printing every refusal at once (exit 2).
 * Returns where each output is to be written (a symlink's target), or null when any was refused.
 */
export const preflightOutputs = (
  ctx: CliContext,
  outputs: readonly OutputRequest[],
  inputs: readonly InputRequest[],
): ResolvedOutputs | null => {
  const checked = checkOutputPaths(outputs, inputs);
  if (checked.ok) return checked.value;
  for (const issue of checked.error) ctx.warn(`mapek: ${issue.message}`);
  ctx.exit(EXIT.invalidInput);
  return null;
};

/**
 * Refuses a scenario whose estimated cost is over the limit (exit 2), naming the estimate, its largest
 * parts and `--no-cost-limit`; `costLimit: false` (that flag) lets it through. Returns whether to run.
 */
export const withinCostLimit = (
  ctx: CliContext,
  loaded: LoadedScenario,
  costLimit: boolean | undefined,
  limit: number = DEFAULT_COST_LIMIT,
): boolean => {
  if (costLimit === false) return true;
  const estimate = estimateCost(loaded.scenario);
  if (estimate.visits <= limit) return true;
  ctx.warn(...costLimitMessage(loaded.file, estimate, limit));
  ctx.exit(EXIT.invalidInput);
  return false;
};
