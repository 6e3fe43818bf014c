import { mapekPolicy } from '../mapek/mapek-policy.ts';
import type { ControllerSpec, PolicyName } from '../scenario/schema/controller.ts';
import type { Controller } from '../world/controller.ts';
import { kubernetesController } from './kubernetes/controller.ts';
import { kubernetesSettingsFor } from './kubernetes/defaults.ts';
import { noopController } from './noop.ts';
import { oracleController } from './oracle/controller.ts';
import { restartAlwaysController } from './restart-always.ts';

/** What a policy factory gets besides the scenario's controller block. */
export interface PolicyOptions {
  /** Knowledge carried over from an earlier run (MAPE-K only), as loaded from a knowledge file. */
  readonly knowledge?: unknown;
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
