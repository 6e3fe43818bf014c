import { Command } from 'commander';
import { PACKAGE_VERSION } from '../base/package-version.ts';
import type { CliContext } from './cli-context.ts';
import { COMMANDS } from './commands/index.ts';
import { addHelpExamples } from './help-examples.ts';

/** The `mapek` command with every subcommand registered, writing through `ctx`. */
export const createProgram = (ctx: CliContext): Command => {
  const program = new Command()
    .name('mapek')
    .description('Deterministic chaos scenarios for a simulated cluster and its self-healing controller')
    .version(PACKAGE_VERSION)
    // Settings made before `.command()` are inherited by every subcommand.
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) })
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);
  for (const command of COMMANDS) command.register(program, ctx);
  addHelpExamples(program);
  return program;
};
