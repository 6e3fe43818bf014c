import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/** True when this package runs as compiled JavaScript (dist/), false when tsx runs its sources. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * The file a worker loads for a module named by its source URL (`./sweep-worker.ts`): the `.js` beside it
 * when compiled, the `.ts` itself from the sources (the worker then starts with tsx's loader).
 */
export const workerModuleFile = (moduleUrl: URL): string => {
  const path = fileURLToPath(moduleUrl);
  return COMPILED ? path.replace(/\.ts$/, '.js') : path;
};

/**
 * About what starting a pool costs in wall time before its first run (each worker imports the simulator),
 * measured on a loaded 2-core machine: 0.6 s compiled, 2.5 s from the sources through tsx.
 */
export const POOL_START_MS = COMPILED ? 600 : 2500;

/**
 * A pool of worker threads that runs tasks of this package's worker modules (each a module whose default
 * export takes a plain-data task and returns plain data). One pool serves a whole command: `run --seeds`,
 * `explore` and `bench` hand it their runs. Workers start once, each imports what its tasks need once, and
 * they are ended together by `close` (or at once by `abort`, on Ctrl-C).
 */
export class WorkerPool {
  private readonly piscina: Piscina;
  private ended: Promise<void> | null = null;

  private constructor(readonly size: number) {
    this.piscina = new Piscina({
      minThreads: size,
      maxThreads: size,
      // A run is CPU-bound: a worker that idles briefly between tasks is cheaper than a new one.
      idleTimeout: 60_000,
      // Tasks queue in the pool rather than fail: the callers bound what is in flight themselves.
      maxQueue: Number.POSITIVE_INFINITY,
      execArgv: COMPILED ? [] : ['--import', import.meta.resolve('tsx')],
    });
  }

  /** Opens a pool of `size` worker threads (at least 1). */
  static open(size: number): WorkerPool {
    return new WorkerPool(Math.max(1, Math.floor(size)));
  }

  /** Runs one task on the next free worker, with the default export of `moduleUrl` (a source URL). */
  run<T, R>(moduleUrl: URL, task: T, signal?: AbortSignal): Promise<R> {
    return this.piscina.run(task, {
      filename: workerModuleFile(moduleUrl),
      ...(signal === undefined ? {} : { signal }),
    }) as Promise<R>;
  }

  /** Ends every worker once the tasks given are done. */
  close(): Promise<void> {
    this.ended ??= this.piscina.close();
    return this.ended;
  }

  /** Ends every worker now, mid-task (Ctrl-C): the pending tasks reject. */
  abort(): Promise<void> {
    this.ended ??= this.piscina.destroy();
    return this.ended;
  }
}
