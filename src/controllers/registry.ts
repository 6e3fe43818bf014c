import type { LoopObservers } from '../mapek/mapek-loop.ts';
import { kubernetesController } from '../policies/kubernetes/controller.ts';
import { kubernetesSettingsFor } from '../policies/kubernetes/defaults.ts';
import { noopController } from '../policies/noop.ts';
import { oracleController } from '../policies/oracle/controller.ts';
import { restartAlwaysController } from '../policies/restart-always.ts';
import type { Controller } from '../world/controller.ts';
import { buildModuleController } from './controller-module.ts';
import {
  type BuiltinPolicyName,
  type ControllerSpec,
  isBuiltinPolicy,
  type PolicyName,
} from './controller-spec.ts';
import { mapekPolicy } from './mapek-policy.ts';

/** What a policy factory gets besides the scenario's controller block. */
export interface PolicyOptions {
  /** Knowledge carried over from an earlier run (MAPE-K only), as loaded from a knowledge file. */
  readonly knowledge?: unknown;
  /** Observers of the loop for reports (MAPE-K only; baselines have no cycles or actors to show). */
  readonly observe?: LoopObservers;
}

/** Builds a fresh controller for one run. */
export type PolicyFactory = (spec: ControllerSpec, options: PolicyOptions) => Controller;

/** Every selectable controller, by the name scenarios and `--policy` use. */
export const POLICIES: Readonly<Record<BuiltinPolicyName, PolicyFactory>> = {
  mapek: mapekPolicy,
  noop: () => noopController(),
  'restart-always': () => restartAlwaysController(),
  kubernetes: (spec) => kubernetesController(kubernetesSettingsFor(spec.kubernetes)),
  oracle: () => oracleController(),
};

/**
 * The factory for a policy: a built-in by name, or a user controller module that `loadControllerModule`
 * loaded in this process, by the path as given.
 */
export const policyFactory = (policy: PolicyName, seed: number): PolicyFactory =>
  isBuiltinPolicy(policy)
    ? POLICIES[policy]
    : (spec) => buildModuleController(policy, { seed, mapek: spec.mapek });
