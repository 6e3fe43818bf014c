import { z } from 'zod';
import { formatDuration } from '../../base/duration.ts';
import type { ServiceId } from '../../cluster/ids.ts';
import {
  DEFAULT_RETRY_BUDGET,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
} from '../../cluster/queueing/retry-policy.ts';
import { CLUSTER_DEFAULTS, type WorkloadSpec } from '../../cluster/spec.ts';
import { countField, durationField, fractionField, positiveDuration, positiveNumber } from './units.ts';

const W = CLUSTER_DEFAULTS.workload;

const spike = z.strictObject({
  at: durationField('when the spike starts'),
  for: positiveDuration('how long the spike lasts'),
  factor: positiveNumber('multiplier on the offered load during the spike'),
});

const P = DEFAULT_RETRY_POLICY;

const backoff = z
  .strictObject({
    base: positiveDuration('sleep ceiling before the first retry').prefault(formatDuration(P.backoff.baseMs)),
    cap: positiveDuration('largest sleep ceiling').prefault(formatDuration(P.backoff.capMs)),
    jitter: z
      .enum(['full', 'none'])
      .default('full')
      .describe('full: sleep uniform(0, ceiling) (AWS full jitter); none: sleep the ceiling'),
  })
  .describe('exponential backoff between attempts: retry k sleeps up to min(cap, base x 2^(k-1))');

const retryBudget = z
  .strictObject({
    ratio: fractionField('retries per second at most this share of original requests per second').prefault(
      `${DEFAULT_RETRY_BUDGET.ratio * 100}%`,
    ),
    minRetriesPerSecond: z
      .number()
      .min(0)
      .finite()
      .default(DEFAULT_RETRY_BUDGET.minRetriesPerSecond)
      .describe('retries per second always allowed on top of the ratio'),
  })
  .describe('caps retries as Finagle RetryBudget and Envoy retry_budget do');

/** One entry of the `workload` block: offered load for a service. */
export const workloadSchema = z
  .strictObject({
    service: z.string().describe('the service this load goes to'),
    rps: z
      .number()
      .min(0)
      .finite()
      .describe('offered requests per second (the daily peak for a diurnal shape)'),
    shape: z
      .enum(['constant', 'diurnal'])
      .default(W.shape)
      .describe('constant, or a daily cosine between trough and peak'),
    trough: fractionField('diurnal: load at the quietest hour, as a fraction of the peak').prefault(
      `${W.troughFactor * 100}%`,
    ),
    peakAt: durationField('diurnal: time of day of the peak').prefault(formatDuration(W.peakAtMs)),
    step: positiveDuration('diurnal: the load is held constant over steps this long').prefault(
      formatDuration(W.stepMs),
    ),
    spikes: z.array(spike).default([]).describe('bursts of extra load'),
    writeRatio: fractionField('fraction of requests that are writes (stateful services)').prefault(
      `${W.writeRatio}%`,
    ),
    timeout: positiveDuration("the clients' timeout per attempt (the server still does the work)").optional(),
    retries: countField('attempts per request, the first included (1: no retries)').max(100).optional(),
    backoff: backoff.optional(),
    retryBudget: retryBudget.optional(),
  })
  .transform(
    (w): WorkloadSpec => ({
      service: w.service as ServiceId,
      rps: w.rps,
      shape: w.shape,
      troughFactor: w.trough,
      peakAtMs: w.peakAt,
      stepMs: w.step,
      spikes: w.spikes.map((s) => ({ atMs: s.at, durationMs: s.for, factor: s.factor })),
      writeRatio: w.writeRatio,
      ...(clientOf(w) === undefined ? {} : { client: clientOf(w) }),
    }),
  );

interface ClientKeys {
  readonly timeout?: number | undefined;
  readonly retries?: number | undefined;
  readonly backoff?:
    | { readonly base: number; readonly cap: number; readonly jitter: 'full' | 'none' }
    | undefined;
  readonly retryBudget?: { readonly ratio: number; readonly minRetriesPerSecond: number } | undefined;
}

/** The clients' retry policy of a workload entry; undefined when it sets none of the client keys. */
const clientOf = (w: ClientKeys): RetryPolicy | undefined => {
  if (
    w.timeout === undefined &&
    w.retries === undefined &&
    w.backoff === undefined &&
    w.retryBudget === undefined
  )
    return undefined;
  const b = w.backoff;
  return {
    timeoutMs: w.timeout ?? P.timeoutMs,
    maxAttempts: w.retries ?? P.maxAttempts,
    backoff:
      b === undefined ? P.backoff : { baseMs: b.base, capMs: Math.max(b.cap, b.base), jitter: b.jitter },
    ...(w.retryBudget === undefined ? {} : { retryBudget: w.retryBudget }),
  };
};
