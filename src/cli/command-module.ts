import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';

/**
 * One `mapek` subcommand, in its own file under `commands/`, registered in `commands/index.ts`. Every command
 * is registered on every start, so the file holds only what `--help` shows and the flag parsers; its action,
 * and the code only it needs, is imported with `await import()` when it runs (`run-action.ts`, ...). The
 * action records its outcome with `ctx.exit(code)` and reports through `ctx.print` / `ctx.warn`.
 */
export interface CommandModule {
  readonly name: string;
  register(program: Command, ctx: CliContext): void;
}
