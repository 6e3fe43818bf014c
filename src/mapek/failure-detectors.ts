/**
 * Phi-accrual suspicion level (Hayashibara et al.) for a silence of `silenceMs`, given the mean and standard
 * deviation of heartbeat inter-arrival times: -log10 of the probability that a heartbeat arrives later still.
 * Uses the logistic approximation of the normal tail that Akka and Cassandra use, which never returns
 * Infinity for long silences the way `1 - cdf` does in floating point.
 */
export const phiAccrual = (silenceMs: number, meanMs: number, stdDevMs: number): number => {
  const y = (silenceMs - meanMs) / stdDevMs;
  const a = y * (1.5976 + 0.070566 * y * y);
  const e = Math.exp(-a);
  // Later than the mean, P(later) = e / (1 + e): take its log directly, so a long silence stays finite.
  if (silenceMs > meanMs) return a / Math.LN10 + Math.log10(1 + e);
  return -Math.log10(1 - 1 / (1 + e));
};

/** Weight of one new inter-arrival sample in the running mean and variance. */
const ALPHA = 0.1;
/**
 * Floor on the standard deviation, as a fraction of the interval. Heartbeats can be regular (the noise of
 * src/cluster/heartbeats/heartbeat-noise.ts set to 0, or a quiet stretch between pauses), and a zero
 * deviation would make any lateness an infinite suspicion (Akka's min-std-deviation does the same).
 */
const MIN_STD_FRACTION = 0.2;
/** Weight left to the old statistics after n new samples, (1 - ALPHA)^n, for the usual n. */
const DECAY = Float64Array.from({ length: 64 }, (_, n) => (1 - ALPHA) ** n);

/**
 * Both heartbeat failure detectors over every node, in plain typed arrays (no object per node): the
 * k-missed-heartbeats count and phi-accrual over running inter-arrival statistics. Fed with the arrival
 * time of each node's latest heartbeat once per cycle; heartbeats that arrived between two reads are folded
 * in as their mean gap, so a cycle costs O(nodes) whatever the heartbeat rate.
 */
export class HeartbeatDetectors {
  private readonly lastSeen: Float64Array;
  private readonly mean: Float64Array;
  private readonly variance: Float64Array;
  private readonly silence: Float64Array;

  constructor(
    nodes: number,
    private readonly intervalMs: number,
    /** Before a node's first heartbeat, silence counts from here (no false alarm at start-up). */
    private readonly sinceMs: number,
  ) {
    this.lastSeen = new Float64Array(nodes).fill(Number.NEGATIVE_INFINITY);
    this.mean = new Float64Array(nodes).fill(intervalMs);
    this.variance = new Float64Array(nodes).fill(0);
    this.silence = new Float64Array(nodes);
  }

  /**
   * Folds in node `i`'s latest heartbeat arrival and returns its phi at `nowMs`; `silenceMs(i)` then gives
   * the silence it was computed from. Plain numbers in and out: this runs for every node every cycle.
   */
  observe(i: number, lastArrivalMs: number, nowMs: number): number {
    const seen = this.lastSeen[i] ?? Number.NEGATIVE_INFINITY;
    if (lastArrivalMs > seen) {
      if (seen > Number.NEGATIVE_INFINITY) {
        const gap = lastArrivalMs - seen;
        const n = Math.max(1, Math.round(gap / this.intervalMs));
        const sample = gap / n;
        const a = 1 - (DECAY[n] ?? 0);
        const m = this.mean[i] ?? this.intervalMs;
        const d = sample - m;
        this.mean[i] = m + a * d;
        this.variance[i] = (1 - a) * ((this.variance[i] ?? 0) + a * d * d);
      }
      this.lastSeen[i] = lastArrivalMs;
    }
    const last = this.lastSeen[i] ?? Number.NEGATIVE_INFINITY;
    const silence = nowMs - (last > Number.NEGATIVE_INFINITY ? last : this.sinceMs);
    this.silence[i] = silence;
    const mean = this.mean[i] ?? this.intervalMs;
    // Below the mean the suspicion is negligible: skip the exp and log on the hot path.
    if (silence <= mean) return 0;
    const std = Math.max(Math.sqrt(this.variance[i] ?? 0), MIN_STD_FRACTION * this.intervalMs);
    return phiAccrual(silence, mean, std);
  }

  /** Time since node `i`'s last heartbeat, as of its last `observe`. */
  silenceMs(i: number): number {
    return this.silence[i] ?? 0;
  }

  /** Whole heartbeat intervals node `i` has been silent for (the k-missed detector). */
  missed(i: number): number {
    return Math.floor((this.silence[i] ?? 0) / this.intervalMs);
  }

  /** The running mean inter-arrival time of node `i`. */
  meanIntervalMs(i: number): number {
    return this.mean[i] ?? this.intervalMs;
  }
}
