import { setMaxListeners } from 'node:events';
import { WorkerPool } from '../sweep/worker-pool.ts';
import { type BenchJob, type BenchJobResult, runBenchJob } from './bench-job.ts';
import type { BenchTaskReply } from './bench-task.ts';

const TASK = new URL('./bench-task.ts', import.meta.url);

/** Options of `runJobs`. */
export interface PoolOptions {
  /** Worker threads; 1 runs every job in this process. */
  readonly workers: number;
  /** Called as each job finishes, in completion order. */
  readonly onDone?: (index: number, result: BenchJobResult) => void;
  /** A pool to run on (a command's shared one); without it one is opened and closed for these jobs. */
  readonly pool?: WorkerPool;
}

/** A job failed in a worker (bad input, a run that could not start). */
export class PoolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoolError';
  }
}

const inProcess = async (
  jobs: readonly BenchJob[],
  onDone: PoolOptions['onDone'],
): Promise<BenchJobResult[]> => {
  const results: BenchJobResult[] = [];
  for (const [i, job] of jobs.entries()) {
    const result = await runBenchJob(job);
    onDone?.(i, result);
    results.push(result);
  }
  return results;
};

/**
 * Consecutive jobs per task: about eight tasks per worker, so a run of tens of milliseconds does not pay a
 * message each way, and the last tasks still spread over every worker (jobs come longest first).
 */
export const batchSize = (jobs: number, workers: number): number =>
  Math.max(1, Math.floor(jobs / (workers * 8)));

/**
 * Runs jobs on a pool of worker threads, in batches of consecutive jobs taken in the order given (so put the
 * longest first). Results come back in job order, whatever the order they finished in: every run is
 * deterministic, so the pool changes wall time and nothing else.
 */
export const runJobs = async (jobs: readonly BenchJob[], options: PoolOptions): Promise<BenchJobResult[]> => {
  const workers = Math.max(1, Math.min(Math.floor(options.workers), jobs.length));
  if (workers <= 1 && options.pool === undefined) return inProcess(jobs, options.onDone);
  const pool = options.pool ?? WorkerPool.open(workers);
  const size = batchSize(jobs.length, pool.size);
  const results: BenchJobResult[][] = [];
  const abort = new AbortController();
  // Every batch listens on the one signal: that is by design, not a leak.
  setMaxListeners(Number.POSITIVE_INFINITY, abort.signal);
  try {
    const batches: Promise<void>[] = [];
    for (let from = 0; from < jobs.length; from += size) {
      const batch = jobs.slice(from, from + size);
      const at = results.length;
      results.push([]);
      batches.push(
        pool.run<readonly BenchJob[], BenchTaskReply>(TASK, batch, abort.signal).then((reply) => {
          if (!reply.ok) throw new PoolError(reply.message);
          results[at] = [...reply.results];
          for (const [i, r] of reply.results.entries()) options.onDone?.(from + i, r);
        }),
      );
    }
    try {
      await Promise.all(batches);
    } catch (e) {
      // The first failure is the answer: the batches still queued are not worth running.
      abort.abort();
      await Promise.allSettled(batches);
      throw e;
    }
  } finally {
    if (options.pool === undefined) await pool.close();
  }
  return results.flat();
};
