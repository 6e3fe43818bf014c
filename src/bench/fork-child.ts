import { type ChildProcess, fork, type StdioOptions } from 'node:child_process';
import { CLI_V8_FLAGS } from '../base/jit-tuning.ts';
import { workerModuleFile } from '../sweep/worker-pool.ts';

/** True when this package runs as compiled JavaScript (dist/), false when tsx runs its sources. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * Starts a module of this package, named by its source URL (`./throughput-child.ts`), in a fresh child Node
 * process with an IPC channel. Not a pool: a throughput case is measured alone in a cold process (its own
 * JIT warm-up and peak memory, as a user's `mapek run` has), which a thread of a warm pool cannot give.
 * From the sources the child starts with tsx's loader, resolved from this package. It runs with the V8 flags
 * the `mapek` command runs with (`CLI_V8_FLAGS`), so a timed case costs what it costs a user.
 */
export const forkChild = (
  moduleUrl: URL,
  args: readonly string[] = [],
  stdio: StdioOptions = ['ignore', 'ignore', 'inherit', 'ipc'],
): ChildProcess =>
  fork(workerModuleFile(moduleUrl), [...args], {
    execArgv: [...CLI_V8_FLAGS, ...(COMPILED ? [] : ['--import', import.meta.resolve('tsx')])],
    stdio,
  });
