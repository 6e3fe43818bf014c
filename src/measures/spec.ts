import type { Millis } from '../base/duration.ts';

/** How the ground-truth measures are taken. */
export interface MeasurementSpec {
  /** A recovery counts once the level has held this long. */
  readonly recoveryHoldMs: Millis;
  /** Degradation is 1 - served/offered over consecutive windows of this length. */
  readonly degradationWindowMs: Millis;
  /** A service is at its healthy level with at most this fraction of its healthy throughput missing. */
  readonly throughputTolerance: number;
  /** ...and latency at most this many times its healthy latency at the same load. */
  readonly latencyTolerance: number;
  /** The scenario's p99 latency objective (its `slo.latencyP99`): above it a service is not at its level. */
  readonly latencyP99Ms?: Millis;
  /** The scenario's median latency objective (`slo.latencyP50`). */
  readonly latencyP50Ms?: Millis;
}

/** Defaults of the measurement settings. */
export const MEASUREMENT_DEFAULTS: MeasurementSpec = {
  recoveryHoldMs: 30_000,
  degradationWindowMs: 60_000,
  throughputTolerance: 0.01,
  latencyTolerance: 2,
};
