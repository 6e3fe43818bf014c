import type { MapekConfigValues } from '../mapek/settings.ts';
import type { KubernetesSpec } from '../policies/kubernetes/versions.ts';

/** Controllers a scenario (`controller.policy`) or the command line (`--policy`) can select. */
export const POLICY_NAMES = ['mapek', 'noop', 'restart-always', 'kubernetes', 'oracle'] as const;

/** The name of a controller. */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** A scenario's `controller` block, parsed: which policy, and the MAPE-K loop's settings. */
export interface ControllerSpec {
  readonly policy: PolicyName;
  readonly mapek: MapekConfigValues;
  /** Settings of the `kubernetes` baseline (empty: its defaults). */
  readonly kubernetes?: KubernetesSpec;
}
