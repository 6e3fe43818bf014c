import type { LoopObservers } from '../mapek/mapek-loop.ts';
import { kubernetesController } from '../policies/kubernetes/controller.ts';
import { kubernetesSettingsFor } from '../policies/kubernetes/defaults.ts';
import { noopController } from '../policies/noop.ts';
import { oracleController } from '../policies/oracle/controller.ts';
import { restartAlwaysController } from '../policies/restart-always.ts';
import type { Controller } from '../world/controller.ts';
import type { ControllerSpec, PolicyName } from './controller-spec.ts';
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
export const POLICIES: Readonly<Record<PolicyName, PolicyFactory>> = {
  mapek: mapekPolicy,
  noop: () => noopController(),
  'restart-always': () => restartAlwaysController(),
  kubernetes: (spec) => kubernetesController(kubernetesSettingsFor(spec.kubernetes)),
  oracle: () => oracleController(),
};
