import { type ChildProcess, fork, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** True when this package runs as compiled JavaScript (dist/), false when tsx runs its sources. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * Starts a module of this package, named by its source URL (`./bench-worker.ts`), in a child Node process
 * with an IPC channel. Compiled, it forks the `.js` beside this file with no loader; from the sources, it
 * forks the `.ts` through tsx's loader resolved from this package (so it works whatever the working
 * directory, and whether the parent runs under the tsx CLI or a test runner).
 */
export const forkTs = (
  moduleUrl: URL,
  args: readonly string[] = [],
  stdio: StdioOptions = ['ignore', 'ignore', 'inherit', 'ipc'],
): ChildProcess =>
  COMPILED
    ? fork(fileURLToPath(moduleUrl).replace(/\.ts$/, '.js'), [...args], { execArgv: [], stdio })
    : fork(fileURLToPath(moduleUrl), [...args], {
        execArgv: ['--import', import.meta.resolve('tsx')],
        stdio,
      });
