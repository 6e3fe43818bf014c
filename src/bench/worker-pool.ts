import type { ChildProcess } from 'node:child_process';
import { type BenchJob, type BenchJobResult, runBenchJob } from './bench-job.ts';
import { forkTs } from './fork-ts.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

/** Options of `runJobs`. */
export interface PoolOptions {
  /** Worker processes; 1 runs every job in this process (no children at all). */
  readonly workers: number;
  /** Called as each job finishes, in completion order. */
  readonly onDone?: (index: number, result: BenchJobResult) => void;
}

/** A job failed in a worker (bad input, a run that could not start) or a worker died. */
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
 * Runs jobs on a pool of child processes, handing each worker its next job as soon as it is free (jobs are
 * taken in the order given, so put the longest first). Results come back in job order, whatever the order
 * they finished in: every run is deterministic, so the pool changes wall time and nothing else.
 */
export const runJobs = async (jobs: readonly BenchJob[], options: PoolOptions): Promise<BenchJobResult[]> => {
  const workers = Math.max(1, Math.min(Math.floor(options.workers), jobs.length));
  if (workers <= 1) return inProcess(jobs, options.onDone);
  const results: (BenchJobResult | undefined)[] = new Array(jobs.length);
  const children: ChildProcess[] = [];
  let next = 0;
  let finished = 0;
  return new Promise<BenchJobResult[]>((resolve, reject) => {
    let settled = false;
    const stopAll = () => {
      for (const c of children) {
        c.removeAllListeners('exit');
        if (c.connected) c.send({ type: 'stop' } satisfies WorkerRequest);
      }
    };
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      for (const c of children) {
        c.removeAllListeners('exit');
        c.kill();
      }
      reject(new PoolError(message));
    };
    const feed = (child: ChildProcess) => {
      if (next >= jobs.length) return;
      const id = next++;
      const job = jobs[id];
      if (job !== undefined) child.send({ type: 'job', id, job } satisfies WorkerRequest);
    };
    for (let w = 0; w < workers; w++) {
      const child = forkTs(new URL('./bench-worker.ts', import.meta.url));
      children.push(child);
      child.on('message', (reply: WorkerReply) => {
        if (reply.type === 'error') {
          fail(reply.message);
          return;
        }
        results[reply.id] = reply.result;
        finished++;
        options.onDone?.(reply.id, reply.result);
        if (finished === jobs.length) {
          settled = true;
          stopAll();
          resolve(results.filter((r): r is BenchJobResult => r !== undefined));
          return;
        }
        feed(child);
      });
      child.on('exit', (code, signal) => fail(`a benchmark worker exited (${signal ?? `code ${code}`})`));
      child.on('error', (e) => fail(`a benchmark worker failed: ${e.message}`));
      feed(child);
    }
  });
};
