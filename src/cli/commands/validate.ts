import type { CommandModule } from '../command-module.ts';
import { EXIT } from '../exit-codes.ts';
import { expandInputs } from '../inputs.ts';

/** `mapek validate`: checks scenario files without running them. */
export const validateCommand: CommandModule = {
  name: 'validate',
  register(program, ctx) {
    program
      .command('validate')
      .description('check scenario files (or the scenario files in a directory) without running them')
      .argument('<paths...>', 'scenario files or directories')
      .addHelpText('after', '\nExit codes: 0 every file is valid, 2 a file is invalid or missing.')
      .action(async (paths: string[]) => {
        // The loader (zod, yaml) is loaded only when a file is checked, not for `--help`.
        const { loadScenarioFile } = await import('../../scenario/loader.ts');
        const { formatLoadError } = await import('../../report/console-report.ts');
        const inputs = expandInputs(paths);
        for (const e of inputs.errors) {
          ctx.warn(`mapek: ${e.message}`);
          ctx.exit(EXIT.invalidInput);
        }
        for (const file of inputs.files) {
          const loaded = loadScenarioFile(file);
          if (loaded.ok) {
            ctx.print(`ok  ${file}  (${loaded.value.scenario.name})`);
          } else {
            ctx.warn(...formatLoadError(loaded.error));
            ctx.exit(EXIT.invalidInput);
          }
        }
      });
  },
};
