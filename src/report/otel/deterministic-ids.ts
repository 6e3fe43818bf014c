import { createHash } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

const hex = (text: string, length: number): string =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/**
 * Trace and span ids from a run's identity (scenario, seed, policy) and a counter: the same run exports the
 * same ids, and two runs never share a trace. (The SDK's default draws them from Math.random.)
 */
export const deterministicIds = (identity: string): IdGenerator => {
  let spans = 0;
  let traces = 0;
  return {
    generateTraceId: () => hex(`${identity}/trace/${traces++}`, 32),
    generateSpanId: () => hex(`${identity}/span/${spans++}`, 16),
  };
};
