import {
  type ControllerModuleRef,
  loadControllerModule,
  resolveControllerModule,
  scenarioDir,
} from '../controllers/controller-module.ts';
import { isBuiltinPolicy, type PolicyName } from '../controllers/controller-spec.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';

/**
 * Loads the controller module a policy names, if it names one: `--policy` paths resolve against the working
 * directory, a scenario's `controller.module` against the scenario's folder. A bad module is reported
 * (exit 2, no stack) and gives null; a built-in name gives `'builtin'`.
 */
export const preparePolicy = async (
  ctx: CliContext,
  policy: PolicyName,
  from: { readonly scenarioFile: string } | 'cwd',
): Promise<ControllerModuleRef | 'builtin' | null> => {
  if (isBuiltinPolicy(policy)) return 'builtin';
  const base = from === 'cwd' ? process.cwd() : scenarioDir(from.scenarioFile);
  const ref = resolveControllerModule(policy, base);
  const loaded = ref.ok ? await loadControllerModule(ref.value) : ref;
  if (loaded.ok) return loaded.value;
  ctx.warn(`mapek: ${loaded.error.message}`);
  ctx.exit(EXIT.invalidInput);
  return null;
};
