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
        '\nThe package ships the same file. Name it at the top of a scenario for your editor:\n' +
          '  # yaml-language-server: $schema=./node_modules/mapek/dist/scenario.schema.json',
      )
      .action(async () => {
        // Built from the zod schemas, which no other command's help needs.
        const { scenarioJsonSchema } = await import('../../scenario/json-schema.ts');
        ctx.print(JSON.stringify(scenarioJsonSchema(), null, 2));
      });
  },
};
