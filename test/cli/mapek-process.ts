import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runMapek } from '../support/cli-io.ts';

/** The project root: the command runs from here, as a user's `npx mapek` would. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a finished `mapek` left behind. */
export interface MapekRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Spawns the real command from the project root, on the sources (`node --import tsx src/cli/main.ts`), so
 * tests need no build; test/package checks the compiled `bin/mapek.js` of the packed tarball. A process start
 * costs seconds on a loaded machine: keep it to the one end-to-end test per command
 * (test/cli/end-to-end.test.ts) and use {@link mapekInProcess} for everything else.
 */
export const mapek = (args: readonly string[], env: Record<string, string> = {}): Promise<MapekRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** Runs `mapek ...args` in this process (the same program, no terminal, a wall clock stopped at 0). */
export const mapekInProcess = async (
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<MapekRun> => {
  const { code, out, err } = await runMapek(args, env);
  return { code, stdout: out, stderr: err };
};
