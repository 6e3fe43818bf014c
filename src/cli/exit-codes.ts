/** The command's exit codes, for CI to act on. */
export const EXIT = {
  /** Every SLO met (or, for `validate`, every file valid; for `replay`, the trace hash matched). */
  ok: 0,
  /** An SLO was violated (for `replay`: the trace hash differs). */
  sloViolated: 1,
  /** Invalid input or usage: a bad scenario or journal, an unknown option or policy. */
  invalidInput: 2,
  /** A bug: something threw that should not have. */
  internal: 3,
  /** Stopped by Ctrl-C (SIGINT): 128 + 2, as a shell reports it. */
  interrupted: 130,
  /** Stopped by SIGTERM (a CI timeout, `kubectl delete`): 128 + 15. */
  terminated: 143,
} as const;

/** One of the command's exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The code to exit with when several things happened: the most severe wins (143 > 130 > 3 > 2 > 1 > 0). */
export const worstExit = (a: ExitCode, b: ExitCode): ExitCode => (a > b ? a : b);
