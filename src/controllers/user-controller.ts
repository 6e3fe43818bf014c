import type { MapekConfigValues } from '../mapek/settings.ts';
import type { Controller } from '../world/controller.ts';

/** What a user controller factory is given for one run. */
export interface ControllerSetup {
  /** The run's seed (for labels only: draw randomness from `ctx.random(name)`, which is already seeded). */
  readonly seed: number;
  /** The scenario's MAPE-K settings (`controller` block), for controllers that want to share them. */
  readonly mapek: MapekConfigValues;
}

/**
 * Builds a fresh controller for one run. Called once per run, before the world starts: keep every bit of
 * state inside the controller it returns, never in module scope, so runs (and seeds) stay independent.
 */
export type ControllerFactory = (setup: ControllerSetup) => Controller;

/** Marks a factory so the loader can tell a controller module from any other export. */
const DEFINED: unique symbol = Symbol.for('mapek.controller-factory');

/** A factory passed through `defineController`. */
export type DefinedController = ControllerFactory & { readonly [DEFINED]: true };

/**
 * Declares a user controller: the default export of a module that `controller: { module: ./x.js }` or
 * `--policy ./x.js` loads. Only types the factory and tags it; a plain function default export works too.
 */
export const defineController = (factory: ControllerFactory): DefinedController =>
  Object.assign(factory, { [DEFINED]: true as const });
