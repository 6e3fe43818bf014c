import { z } from 'zod';
import { formatDuration } from '../../base/duration.ts';
import type { ServiceId } from '../../cluster/ids.ts';
import { CLUSTER_DEFAULTS, type WorkloadSpec } from '../../cluster/spec.ts';
import { durationField, fractionField, positiveDuration, positiveNumber } from './units.ts';

const W = CLUSTER_DEFAULTS.workload;

const spike = z.strictObject({
  at: durationField('when the spike starts'),
  for: positiveDuration('how long the spike lasts'),
  factor: positiveNumber('multiplier on the offered load during the spike'),
});

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
    }),
  );
