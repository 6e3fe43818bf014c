import { runCli } from '../../src/cli/cli.ts';
import type { CliIo } from '../../src/cli/cli-context.ts';

/** How the captured streams present themselves; absent: not a terminal. */
interface FakeTerminal {
  readonly stdoutIsTTY?: boolean;
}

/** A CLI's output streams captured in memory, with no terminal (unless asked) and a wall clock stopped at 0. */
export const fakeIo = (env: Record<string, string> = {}, terminal: FakeTerminal = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stderrIsTTY: false,
    ...(terminal.stdoutIsTTY === undefined ? {} : { stdoutIsTTY: terminal.stdoutIsTTY }),
    env,
    now: () => 0,
  };
  return { io, out, err };
};

/** Runs `mapek <args>` in this process: its exit code and everything it printed. */
export const runMapek = async (
  args: readonly string[],
  env: Record<string, string> = {},
  terminal: FakeTerminal = {},
) => {
  const { io, out, err } = fakeIo(env, terminal);
  const code = await runCli(['node', 'mapek', ...args], io);
  return { code, out: out.join(''), err: err.join('') };
};
