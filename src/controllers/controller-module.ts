import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { err, ok, type Result } from '../base/result.ts';
import { type MapekConfigValues, settingRows } from '../mapek/settings.ts';
import type { Controller } from '../world/controller.ts';
import { isModulePolicy, type ModulePolicyPath } from './controller-spec.ts';
import type { ControllerFactory } from './user-controller.ts';

/** Why a controller module could not be used. */
export type ControllerModuleError = {
  readonly kind:
    | 'controller-module-extension'
    | 'controller-module-missing'
    | 'controller-module-threw'
    | 'controller-module-invalid'
    | 'controller-module-conflict';
  readonly path: string;
  readonly message: string;
};

/** A controller module found on disk: the path as given (what journals record) and where it is. */
export interface ControllerModuleRef {
  readonly given: ModulePolicyPath;
  readonly absolutePath: string;
}

const fail = (kind: ControllerModuleError['kind'], path: string, message: string) =>
  err<ControllerModuleError>({ kind, path, message: `${path}: ${message}` });

/** Modules loaded by this process, by the path as given: runs look their factory up synchronously. */
const loaded = new Map<string, { readonly absolutePath: string; readonly factory: ControllerFactory }>();

/**
 * Resolves a module path against a base directory (the scenario's folder, or the working directory for
 * `--policy`). `.ts` is refused: Node cannot import TypeScript from a consumer's files without a loader.
 */
export const resolveControllerModule = (
  given: string,
  baseDir: string,
): Result<ControllerModuleRef, ControllerModuleError> => {
  if (!isModulePolicy(given)) {
    return fail(
      'controller-module-extension',
      given,
      'a controller module must be a .js or .mjs file (compile TypeScript first: Node cannot import .ts without a loader)',
    );
  }
  const absolutePath = isAbsolute(given) ? given : resolve(baseDir, given);
  if (!existsSync(absolutePath)) {
    return fail('controller-module-missing', given, `no such controller module (looked at ${absolutePath})`);
  }
  return ok({ given, absolutePath });
};

/** The directory a scenario file's relative module paths are resolved against. */
export const scenarioDir = (scenarioFile: string): string => dirname(resolve(scenarioFile));

const describe = (x: unknown): string => (x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x);

/** Checks what a factory built looks like a controller, so a wrong export fails before any run. */
const checkController = (c: unknown): string | null => {
  if (typeof c !== 'object' || c === null) return `the factory returned ${describe(c)}, not a controller`;
  const o = c as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name === '') return 'the controller has no `name` string';
  if (typeof o.start !== 'function') return 'the controller has no `start(ctx)` function';
  for (const k of ['stop', 'summary', 'exportKnowledge']) {
    if (o[k] !== undefined && typeof o[k] !== 'function')
      return `the controller's \`${k}\` is not a function`;
  }
  if (
    o.lbMembership !== undefined &&
    o.lbMembership !== 'active-health-checks' &&
    o.lbMembership !== 'endpoints'
  )
    return "the controller's `lbMembership` is neither 'active-health-checks' nor 'endpoints'";
  if (o.readsGroundTruth === true)
    return 'a user controller may not read ground truth (only the oracle does)';
  return null;
};

/**
 * Imports a controller module once per process and registers its factory under the path as given. The
 * module's default export (or a `controller` export) must be a factory, from `defineController` or plain.
 * A probe controller is built and checked, then thrown away, so a bad module fails before any run.
 */
export const loadControllerModule = async (
  ref: ControllerModuleRef,
): Promise<Result<ControllerModuleRef, ControllerModuleError>> => {
  const known = loaded.get(ref.given);
  if (known !== undefined) {
    return known.absolutePath === ref.absolutePath
      ? ok(ref)
      : fail(
          'controller-module-conflict',
          ref.given,
          `names two different modules in one run (${known.absolutePath} and ${ref.absolutePath}); give one of them another path`,
        );
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(ref.absolutePath).href)) as Record<string, unknown>;
  } catch (e) {
    return fail(
      'controller-module-threw',
      ref.given,
      `importing it failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const factory = mod.default ?? mod.controller;
  if (typeof factory !== 'function') {
    return fail(
      'controller-module-invalid',
      ref.given,
      'its default export must be a controller factory (export default defineController((setup) => ({ name, start })))',
    );
  }
  const typed = factory as ControllerFactory;
  let probe: unknown;
  try {
    probe = typed({ seed: 1, mapek: PROBE_SETTINGS });
  } catch (e) {
    return fail(
      'controller-module-threw',
      ref.given,
      `its factory threw: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const problem = checkController(probe);
  if (problem !== null) return fail('controller-module-invalid', ref.given, problem);
  loaded.set(ref.given, { absolutePath: ref.absolutePath, factory: typed });
  return ok(ref);
};

/** Settings handed to the probe build: the MAPE-K defaults (no run starts). */
const PROBE_SETTINGS = Object.fromEntries(
  settingRows().map(([name, row]) => [name, row.default]),
) as unknown as MapekConfigValues;

/** The factory of a module loaded earlier in this process, or undefined. */
export const loadedControllerFactory = (given: string): ControllerFactory | undefined =>
  loaded.get(given)?.factory;

/** Builds a user controller for one run (the module must have been loaded: a programming error otherwise). */
export const buildModuleController = (given: string, setup: Parameters<ControllerFactory>[0]): Controller => {
  const factory = loadedControllerFactory(given);
  if (factory === undefined) throw new Error(`controller module ${given} was not loaded before the run`);
  return factory(setup);
};
