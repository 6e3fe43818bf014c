import { CommanderError } from 'commander';
import { CliContext, type CliIo } from './cli-context.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { createProgram } from './program.ts';

/**
 * Runs `mapek` with `argv` (as `process.argv`: node, script, arguments...) and returns the exit code.
 * Usage errors exit 2; anything thrown that is not a usage error is an internal error, exit 3.
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  const ctx = new CliContext(io);
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with code 0; every other commander error is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    }
    ctx.internalError('', e);
  }
  return ctx.exitCode;
};
