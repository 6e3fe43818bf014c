import { type ChildProcess, fork, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts a TypeScript module of this package in a child Node process with an IPC channel, through tsx's
 * loader resolved from this package (so it works whatever the working directory, and whether the parent runs
 * under the tsx CLI or `bin/mapek.js`).
 */
export const forkTs = (
  moduleUrl: URL,
  args: readonly string[] = [],
  stdio: StdioOptions = ['ignore', 'ignore', 'inherit', 'ipc'],
): ChildProcess =>
  fork(fileURLToPath(moduleUrl), [...args], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio,
  });
