import { z } from 'zod';
import { scenarioSchema } from './schema/scenario.ts';

/**
 * The JSON Schema of scenario files (draft 2020-12), for editor completion and validation: what
 * `mapek schema` prints and the package ships as `mapek/scenario.schema.json`.
 */
export const scenarioJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(scenarioSchema, { io: 'input' }),
  title: 'mapek scenario',
  description: 'A chaos scenario for mapek: a cluster, its workload, faults, a controller and SLOs.',
});
