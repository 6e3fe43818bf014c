import type { MapekConfigValues } from '../mapek/settings.ts';
import type { StrategyCatalogOverrides } from '../mapek/strategy-catalog-overrides.ts';
import type { KubernetesSpec } from '../policies/kubernetes/versions.ts';

/** Controllers a scenario (`controller.policy`) or the command line (`--policy`) can select by name. */
export const POLICY_NAMES = ['mapek', 'noop', 'restart-always', 'kubernetes', 'oracle'] as const;

/** The name of a built-in controller. */
export type BuiltinPolicyName = (typeof POLICY_NAMES)[number];

/** A user controller module, as the scenario (`controller.module`) or `--policy` gave its path. */
export type ModulePolicyPath = `${string}.js` | `${string}.mjs`;

/** A policy: a built-in name, or the path of a user controller module as given (what journals record). */
export type PolicyName = BuiltinPolicyName | ModulePolicyPath;

/** True for a built-in policy name. */
export const isBuiltinPolicy = (policy: string): policy is BuiltinPolicyName =>
  (POLICY_NAMES as readonly string[]).includes(policy);

/** True for a string that names a controller module (ends in `.js` or `.mjs`). */
export const isModulePolicy = (policy: string): policy is ModulePolicyPath => /\.m?js$/.test(policy);

/** A scenario's `controller` block, parsed: which policy, and the MAPE-K loop's settings. */
export interface ControllerSpec {
  readonly policy: PolicyName;
  readonly mapek: MapekConfigValues;
  /** Settings of the `kubernetes` baseline (empty: its defaults). */
  readonly kubernetes?: KubernetesSpec;
  /**
   * The MAPE-K planner's strategy catalog file (`controller.strategies`), as given; `overrides` is its
   * content once loaded (`withStrategyCatalog`), which every run of a scenario naming one needs.
   */
  readonly strategies?: { readonly file: string; readonly overrides?: StrategyCatalogOverrides };
}
