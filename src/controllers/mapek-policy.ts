import { MapekConfig } from '../mapek/config.ts';
import { parseKnowledge } from '../mapek/knowledge-file.ts';
import { type LoopObservers, MapekLoop } from '../mapek/mapek-loop.ts';
import { catalogFrom } from '../mapek/strategy-catalog-overrides.ts';
import type { Controller } from '../world/controller.ts';
import type { ControllerSpec } from './controller-spec.ts';

/**
 * The `mapek` policy: a MAPE-K loop for a scenario's controller block, starting from knowledge loaded by
 * the CLI (`loadKnowledgeFile`) when given. The scenario schema has validated the config and the CLI the
 * knowledge, so a refusal here is a programming error and throws.
 */
export const mapekPolicy = (
  spec: ControllerSpec,
  options: { readonly knowledge?: unknown; readonly observe?: LoopObservers },
): Controller => {
  const knowledge = options.knowledge === undefined ? undefined : parseKnowledge(options.knowledge);
  if (knowledge !== undefined && !knowledge.ok) throw new Error(knowledge.error.message);
  const catalog = spec.strategies;
  if (catalog !== undefined && catalog.overrides === undefined) {
    throw new Error(
      `the strategy catalog ${catalog.file} was not loaded before the run (withStrategyCatalog)`,
    );
  }
  const loop = MapekLoop.controller(MapekConfig.create(spec.mapek), {
    ...(knowledge === undefined ? {} : { knowledge: knowledge.value }),
    ...(catalog?.overrides === undefined ? {} : { strategies: catalogFrom(catalog.overrides) }),
    ...options.observe,
  });
  if (!loop.ok) throw new Error(loop.error.message);
  return loop.value;
};
