import { z } from 'zod';
import { scenarioSchema } from '../../scenario/schema/scenario.ts';
import type { CommandModule } from '../command-module.ts';

/** The JSON Schema of scenario files, for editor completion and validation. */
export const scenarioJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(scenarioSchema, { io: 'input' }),
  title: 'mapek scenario',
  description: 'A chaos scenario for mapek: a cluster, its workload, faults, a controller and SLOs.',
});

/** `mapek schema`: prints the JSON Schema of scenario files. */
export const schemaCommand: CommandModule = {
  name: 'schema',
  register(program, ctx) {
    program
      .command('schema')
      .description('print the JSON Schema of scenario files (for editor completion)')
      .addHelpText(
        'after',
        '\nExample: mapek schema > mapek-scenario.schema.json, then in a scenario file:\n' +
          '  # yaml-language-server: $schema=./mapek-scenario.schema.json',
      )
      .action(() => {
        ctx.print(JSON.stringify(scenarioJsonSchema(), null, 2));
      });
  },
};
