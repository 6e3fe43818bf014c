import type { ActionKind } from '../../src/cluster/actions.ts';
import type { ActionRecord } from '../../src/cluster/effectors.ts';
import type { Controller } from '../../src/world/controller.ts';
import type { World } from '../../src/world/world.ts';
import { buildWorld } from '../support/world.ts';

/** Builds the small test cluster with `input`, attaches `controller` and runs it to `untilMs`. */
export const runWith = (controller: Controller, input: Record<string, unknown>, untilMs: number): World => {
  const { world } = buildWorld(input, 1, true);
  world.attach(controller);
  world.runUntil(untilMs);
  return world;
};

/** Actions of one kind from the ground-truth ledger, in start order. */
export const actionsOf = (world: World, kind: ActionKind): ActionRecord[] =>
  world.effectors.ledger.filter((a) => a.request.kind === kind);

/** Start times of the actions of one kind. */
export const startsOf = (world: World, kind: ActionKind): number[] =>
  actionsOf(world, kind).map((a) => a.startedAtMs);
