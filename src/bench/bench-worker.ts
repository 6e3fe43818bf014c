/**
 * A benchmark worker process: receives jobs from the pool over IPC, runs them one at a time and sends each
 * result back. Started by `worker-pool.ts` with tsx's loader; not meant to be run by hand.
 */
import { type BenchJob, runBenchJob } from './bench-job.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const send = (reply: WorkerReply): void => {
  process.send?.(reply);
};

process.on('message', async (message: WorkerRequest) => {
  if (message.type === 'stop') {
    process.disconnect?.();
    return;
  }
  const job: BenchJob = message.job;
  try {
    send({ type: 'result', id: message.id, result: await runBenchJob(job) });
  } catch (e) {
    send({ type: 'error', id: message.id, message: e instanceof Error ? e.message : String(e) });
  }
});
