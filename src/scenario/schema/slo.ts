import { z } from 'zod';
import type { Millis } from '../../base/duration.ts';
import { durationField, fractionField, positiveDuration } from './units.ts';

/** Service level objectives a run is judged against; every one is optional. */
export interface SloSpec {
  /** Each impactful fault detected within this long. */
  readonly detectionMs?: Millis;
  /** Each impactful fault's service level restored within this long. */
  readonly recoveryMs?: Millis;
  /** Successful over offered requests across the run, at least. */
  readonly availability?: number;
  /** Worst windowed degradation, at most. */
  readonly maxDegradation?: number;
  /** Share of impactful faults recovered (within `recoveryMs` when set), at least. */
  readonly recoverySuccessRate?: number;
  /** Acknowledged writes lost, at most. */
  readonly dataLoss?: number;
  /** Time with two primaries accepting writes, at most. */
  readonly splitBrainMs?: Millis;
  /** p99 latency of every service at most this: a level criterion, and judged on its served-weighted run mean. */
  readonly latencyP99Ms?: Millis;
  /** p50 latency of every service at most this: a level criterion, and judged on its served-weighted run mean. */
  readonly latencyP50Ms?: Millis;
  /** Users' requests answered within their client's timeout over users' requests offered, at least. */
  readonly goodput?: number;
  /** Per-cycle budgets of the MAPE-K phases (sim time), at most. */
  readonly phases?: {
    readonly analysisMs?: Millis;
    readonly planningMs?: Millis;
    readonly executionMs?: Millis;
  };
}

/** The `slo` block of a scenario. */
export const sloSchema = z
  .strictObject({
    detection: durationField('each fault detected within').optional(),
    recovery: durationField("each fault's service level restored within").optional(),
    availability: fractionField('successful / offered requests over the run, at least').optional(),
    maxDegradation: fractionField('worst 1 - served/offered over a measurement window, at most').optional(),
    recoverySuccessRate: fractionField('share of impactful faults recovered in time, at least').optional(),
    dataLoss: z.number().int().min(0).optional().describe('acknowledged writes lost, at most'),
    splitBrain: durationField('time with two primaries accepting writes, at most').optional(),
    latencyP99: positiveDuration(
      "each service's p99 latency at most (in every measurement window)",
    ).optional(),
    latencyP50: positiveDuration(
      "each service's median latency at most (in every measurement window)",
    ).optional(),
    goodput: fractionField(
      "users' requests answered within their timeout / offered, over the run, at least",
    ).optional(),
    phases: z
      .strictObject({
        analysis: durationField('analysis phase time per cycle, at most').optional(),
        planning: durationField('planning phase time per cycle, at most').optional(),
        execution: durationField('execution phase time per cycle, at most').optional(),
      })
      .optional()
      .describe('MAPE-K phase budgets'),
  })
  .default({})
  .transform((s): SloSpec => {
    const out: { -readonly [K in keyof SloSpec]: SloSpec[K] } = {};
    if (s.detection !== undefined) out.detectionMs = s.detection;
    if (s.recovery !== undefined) out.recoveryMs = s.recovery;
    if (s.availability !== undefined) out.availability = s.availability;
    if (s.maxDegradation !== undefined) out.maxDegradation = s.maxDegradation;
    if (s.recoverySuccessRate !== undefined) out.recoverySuccessRate = s.recoverySuccessRate;
    if (s.dataLoss !== undefined) out.dataLoss = s.dataLoss;
    if (s.splitBrain !== undefined) out.splitBrainMs = s.splitBrain;
    if (s.latencyP99 !== undefined) out.latencyP99Ms = s.latencyP99;
    if (s.latencyP50 !== undefined) out.latencyP50Ms = s.latencyP50;
    if (s.goodput !== undefined) out.goodput = s.goodput;
    if (s.phases !== undefined) {
      out.phases = {
        ...(s.phases.analysis === undefined ? {} : { analysisMs: s.phases.analysis }),
        ...(s.phases.planning === undefined ? {} : { planningMs: s.phases.planning }),
        ...(s.phases.execution === undefined ? {} : { executionMs: s.phases.execution }),
      };
    }
    return out;
  });
