import { z } from 'zod';
import { formatDuration } from '../../base/duration.ts';
import { MEASUREMENT_DEFAULTS, type MeasurementSpec } from '../../measures/spec.ts';
import { durationField, fractionField, positiveDuration } from './units.ts';

const M = MEASUREMENT_DEFAULTS;

/** The `measurement` block: how ground truth is judged. Rarely changed. */
export const measurementSchema = z
  .strictObject({
    recoveryHold: durationField('a recovery counts once the level has held this long').prefault(
      formatDuration(M.recoveryHoldMs),
    ),
    degradationWindow: positiveDuration('degradation is measured over windows this long').prefault(
      formatDuration(M.degradationWindowMs),
    ),
    throughputTolerance: fractionField(
      'share of healthy throughput that may be missing at the healthy level',
    ).prefault(`${M.throughputTolerance * 100}%`),
    latencyTolerance: z
      .number()
      .min(1)
      .finite()
      .default(M.latencyTolerance)
      .describe('latency may be this many times healthy'),
  })
  .prefault({})
  .transform(
    (m): MeasurementSpec => ({
      recoveryHoldMs: m.recoveryHold,
      degradationWindowMs: m.degradationWindow,
      throughputTolerance: m.throughputTolerance,
      latencyTolerance: m.latencyTolerance,
    }),
  );
