/**
 * A worker thread's side of the benchmark: runs a batch of benchmark jobs and hands their results back.
 * Loaded by `WorkerPool` for `runJobs`; never imported by the rest of the package.
 */
import { type BenchJob, type BenchJobResult, runBenchJob } from './bench-job.ts';

/** A batch's answer: every result, or the first job that could not run. */
export type BenchTaskReply =
  | { readonly ok: true; readonly results: readonly BenchJobResult[] }
  | { readonly ok: false; readonly message: string };

export default async (jobs: readonly BenchJob[]): Promise<BenchTaskReply> => {
  const results: BenchJobResult[] = [];
  try {
    for (const job of jobs) results.push(await runBenchJob(job));
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  return { ok: true, results };
};
