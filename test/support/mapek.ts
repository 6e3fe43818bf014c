import { MapekConfig } from '../../src/mapek/config.ts';
import { MapekLoop, type MapekLoopOptions } from '../../src/mapek/mapek-loop.ts';
import { buildWorld } from './world.ts';

/** The small cluster's usual load: api 900 rps over 3 x 400, orders 500 rps (30 % writes) over 3 x 300. */
export const LOAD = [
  { service: 'api', rps: 900 },
  { service: 'orders', rps: 500, writeRatio: '30%' },
];

/** A world built from scenario fields with a MAPE-K loop attached through the seed API. */
export const worldWithLoop = (
  input: Record<string, unknown>,
  config: MapekConfig = MapekConfig.create(),
  options: MapekLoopOptions & { readonly seed?: number; readonly keepTrace?: boolean } = {},
) => {
  const { world, scenario } = buildWorld(
    { workload: LOAD, ...input },
    options.seed ?? 1,
    options.keepTrace ?? false,
  );
  const created = MapekLoop.create(world, config, options);
  if (!created.ok) throw new Error(`loop failed to build: ${created.error.message}`);
  return { world, scenario, loop: created.value };
};

/** Trace lines of a kind, parsed (needs keepTrace). */
export const traceOf = (lines: readonly string[], kind: string) =>
  lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.kind === kind);
