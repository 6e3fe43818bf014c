import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';

/**
 * One `mapek` subcommand, in its own file under `commands/`, registered in `commands/index.ts`. Its action
 * records its outcome with `ctx.exit(code)` and reports through `ctx.print` / `ctx.warn`.
 */
export interface CommandModule {
  readonly name: string;
  register(program: Command, ctx: CliContext): void;
}
