import { scenarioJsonSchema } from '../../scenario/json-schema.ts';
import type { CommandModule } from '../command-module.ts';

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
          '  # yaml-language-server: $schema=./mapek-scenario.schema.json\n' +
          'The package ships the same file: $schema=./node_modules/mapek/dist/scenario.schema.json',
      )
      .action(() => {
        ctx.print(JSON.stringify(scenarioJsonSchema(), null, 2));
      });
  },
};
