import { formatMs } from '../base/format.ts';
import { distributionOf } from '../measures/distribution.ts';

/** A percentile of times: milliseconds, `never` when it falls on a fault never detected or recovered, null without data. */
export type Quantile = number | 'never' | null;

/** A quantile as text: a duration, or `never`. */
export const quantileText = (v: Quantile): string => (v === 'never' ? 'never' : formatMs(v));

/** p50/p95/p99/max of detection or recovery times over many faults, never a mean alone. */
export interface TimeDistribution {
  /** Faults counted (impactful, and not cut short by the end of the run). */
  readonly count: number;
  /** Of those, never detected (or never recovered) although the run left them time to be. */
  readonly never: number;
  /**
   * Impactful faults left out: still open at the end of the run and too recent to call either way, or (for
   * detection) healed before there was anything to detect.
   */
  readonly excluded: number;
  readonly p50Ms: Quantile;
  readonly p95Ms: Quantile;
  readonly p99Ms: Quantile;
  readonly maxMs: Quantile;
}

/** One fault's time, or null when it never got there, or `excluded` to leave it out. */
export type FaultTime = number | null | 'excluded';

/** Whole milliseconds: sim times are integers, and an interpolated percentile needs no more precision. */
const quantile = (v: number | null): Quantile =>
  v === null ? null : Number.isFinite(v) ? Math.round(v) : 'never';

/**
 * The distribution of fault times. A fault that never got there counts as slower than every fault that did
 * (an infinite time), so a policy that leaves faults unrecovered cannot look fast by leaving them out: a
 * percentile that lands on one reads `never`.
 */
export const timeDistribution = (times: readonly FaultTime[]): TimeDistribution => {
  const values: number[] = [];
  let never = 0;
  let excluded = 0;
  for (const t of times) {
    if (t === 'excluded') excluded++;
    else if (t === null) {
      never++;
      values.push(Number.POSITIVE_INFINITY);
    } else values.push(t);
  }
  const d = distributionOf(values);
  return {
    count: d.count,
    never,
    excluded,
    p50Ms: quantile(d.p50),
    p95Ms: quantile(d.p95),
    p99Ms: quantile(d.p99),
    maxMs: quantile(d.max),
  };
};
