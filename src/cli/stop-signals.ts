import type { CliContext, StopSignal } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';

/**
 * Listens for Ctrl-C and SIGTERM while a long command runs (a sweep, a search): the first calls `onStop` and
 * is remembered (`signal`), so the command can stop cleanly at its next step; `stop()` ends the listening.
 */
export const watchStop = (ctx: CliContext, onStop: () => void) => {
  let signal: StopSignal | null = null;
  const stopListening =
    ctx.io.onStopSignal?.((s) => {
      if (signal !== null) return;
      signal = s;
      onStop();
    }) ?? (() => {});
  return {
    get signal(): StopSignal | null {
      return signal;
    },
    stop: stopListening,
  };
};

/** The exit code of a command stopped by `signal`. */
export const stopExit = (signal: StopSignal) => (signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
