import type { BenchJob, BenchJobResult } from './bench-job.ts';

/** What the pool sends a worker. */
export type WorkerRequest =
  | { readonly type: 'job'; readonly id: number; readonly job: BenchJob }
  | { readonly type: 'stop' };

/** What a worker sends back, one reply per job. */
export type WorkerReply =
  | { readonly type: 'result'; readonly id: number; readonly result: BenchJobResult }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
