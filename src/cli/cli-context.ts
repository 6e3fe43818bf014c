import { escapeControlCharacters, type TerminalLine } from '../base/control-characters.ts';
import { EXIT, type ExitCode, worstExit } from './exit-codes.ts';

/** The process around the command, injected so commands can be driven and observed in tests. */
export interface CliIo {
  /** Results: verdict lines, validation results, the JSON Schema. */
  readonly out: (text: string) => void;
  /** Diagnostics: bad files, errors, progress. */
  readonly err: (text: string) => void;
  /** Progress bars go to stderr, and only when it is a terminal. */
  readonly stderrIsTTY: boolean;
  /** Verdicts are coloured only on a terminal (and never with NO_COLOR); absent means not a terminal. */
  readonly stdoutIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Wall-clock milliseconds, for speed reports only; never reaches the simulation. */
  readonly now: () => number;
  /**
   * Calls `listener` on SIGINT or SIGTERM until the returned function is called (absent: the process's
   * default, which ends it at once). A command that can stop cleanly (a sweep) listens while it runs.
   */
  readonly onStopSignal?: (listener: (signal: StopSignal) => void) => () => void;
}

/** The signals a command stops on, cleanly. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** What every command gets: the process, and the exit code so far. */
export class CliContext {
  private code: ExitCode = EXIT.ok;

  constructor(readonly io: CliIo) {}

  /** Records an outcome; the command exits with the most severe one. */
  exit(code: ExitCode): void {
    this.code = worstExit(this.code, code);
  }

  get exitCode(): ExitCode {
    return this.code;
  }

  /** Writes lines to stdout. */
  print(...lines: readonly string[]): void {
    for (const line of lines) this.io.out(`${escapeControlCharacters(line, true)}\n`);
  }

  /**
   * Writes lines a report styled for the terminal to stdout as they are: their data was escaped when they were
   * made, and the control characters left are the report's own colours, which `print` would escape too.
   */
  printStyled(...lines: readonly TerminalLine[]): void {
    for (const line of lines) this.io.out(`${line}\n`);
  }

  /** Writes lines to stderr. */
  warn(...lines: readonly string[]): void {
    for (const line of lines) this.io.err(`${escapeControlCharacters(line, true)}\n`);
  }

  /**
   * Reports an error that should not happen (exit 3): a short message, the stack only with MAPEK_DEBUG=1.
   */
  internalError(what: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.warn(`mapek: internal error${what === '' ? '' : ` ${what}`}: ${message}`);
    if (this.io.env.MAPEK_DEBUG === '1' && e instanceof Error && e.stack !== undefined) this.warn(e.stack);
    else this.warn('  (set MAPEK_DEBUG=1 to see the stack)');
    this.exit(EXIT.internal);
  }
}
