import type { ServiceId } from '../cluster/ids.ts';
import type { LatencyObjective } from '../cluster/sensors.ts';
import type { Symptom } from './types.ts';

/**
 * What a load balancer's scrape of a service says about its traffic, as Prometheus would have it from the
 * clients' and servers' counters: rates over the scrape interval, the backlog and the latency quantiles at the
 * scrape (all with the scrape's seeded noise). `ServiceScrape` is one.
 */
export interface TrafficReading {
  readonly atMs: number;
  /** Requests the replicas served, in time or not (throughput). */
  readonly servedRps: number;
  /** Clients' first attempts. */
  readonly originalRps: number;
  /** Clients' retries. */
  readonly retryRps: number;
  /** Answers that reached their client before its timeout. */
  readonly goodputRps: number;
  readonly backlog: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

/** The traffic symptoms' thresholds, as data. */
export const TRAFFIC_THRESHOLDS = {
  /** Attempts per original request at or above this is retry amplification (1 means no retry at all). */
  amplification: 1.5,
  /** Goodput below this share of throughput is a collapse: a third of the servers' work is thrown away. */
  goodputShare: 0.67,
  /** A backlog matters once it delays a new request at least this long at the current throughput. */
  backlogDelayMs: 100,
  /** Grown by more than this share since the last scrape: growing, not noise (the scrape's noise is 2 %). */
  backlogGrowth: 0.1,
  /** Weight of a new normal-looking scrape in a service's learned p99. */
  baselineWeight: 0.1,
  /** A p99 within this factor of its baseline is normal enough to learn from. */
  learnFactor: 1.3,
  /** Rates below this are too small to judge shares of (a service that is nearly idle). */
  minRps: 1,
} as const;

const T = TRAFFIC_THRESHOLDS;

/**
 * The monitor's view of each service's traffic, by service index: the p99 it has learned as normal and the
 * backlog at the previous scrape. Plain typed arrays; `observe` allocates only the symptoms it reports, so a
 * healthy service costs a few comparisons per cycle.
 */
export class TrafficWatch {
  private readonly baselineP99: Float64Array;
  private readonly lastBacklog: Float64Array;
  private readonly lastAtMs: Float64Array;

  constructor(services: number) {
    this.baselineP99 = new Float64Array(services).fill(Number.NaN);
    this.lastBacklog = new Float64Array(services);
    this.lastAtMs = new Float64Array(services).fill(-1);
  }

  /** The p99 learned as normal for service `si` (NaN before its first scrape). */
  baseline(si: number): number {
    return this.baselineP99[si] ?? Number.NaN;
  }

  /**
   * Reads one service's scrape and pushes its traffic symptoms onto `out`: a latency quantile over its
   * objective (or over `latencyFactor` x its learned p99 when it declares none), a backlog that grows, retry
   * amplification, goodput far below throughput. Learns the p99 baseline from scrapes that show none. A scrape
   * already observed is judged again but learns nothing twice.
   */
  observe(
    si: number,
    service: ServiceId,
    r: TrafficReading,
    objective: LatencyObjective | undefined,
    latencyFactor: number,
    out: Symptom[],
  ): void {
    const before = out.length;
    const fresh = r.atMs > (this.lastAtMs[si] ?? -1);
    const learned = this.baselineP99[si] ?? Number.NaN;
    const baseline = Number.isNaN(learned) ? r.latencyP99Ms : learned;
    tailSymptoms(service, r, objective, baseline * latencyFactor, out);
    const previous = fresh ? (this.lastBacklog[si] ?? 0) : Number.NaN;
    const dtSec = fresh ? (r.atMs - (this.lastAtMs[si] ?? 0)) / 1_000 : 0;
    const delayMs = r.servedRps > T.minRps ? (r.backlog / r.servedRps) * 1_000 : r.backlog > 0 ? Infinity : 0;
    if (
      this.lastAtMs[si] !== -1 &&
      delayMs >= T.backlogDelayMs &&
      r.backlog > previous * (1 + T.backlogGrowth) &&
      dtSec > 0
    ) {
      out.push({
        kind: 'backlog-growing',
        service,
        backlog: r.backlog,
        growthPerSec: (r.backlog - previous) / dtSec,
        delayMs,
      });
    }
    if (r.originalRps > T.minRps) {
      const amplification = (r.originalRps + r.retryRps) / r.originalRps;
      if (amplification >= T.amplification) {
        out.push({
          kind: 'retry-amplification',
          service,
          amplification,
          originalRps: r.originalRps,
          retryRps: r.retryRps,
        });
      }
    }
    if (r.servedRps > T.minRps && r.goodputRps < T.goodputShare * r.servedRps) {
      out.push({
        kind: 'goodput-collapse',
        service,
        goodputRps: r.goodputRps,
        throughputRps: r.servedRps,
        originalRps: r.originalRps,
        backlog: r.backlog,
      });
    }
    if (!fresh) return;
    this.lastAtMs[si] = r.atMs;
    this.lastBacklog[si] = r.backlog;
    // Learn what normal looks like only from scrapes that look normal.
    if (out.length === before && r.latencyP99Ms > 0 && r.latencyP99Ms <= T.learnFactor * baseline)
      this.baselineP99[si] = baseline + T.baselineWeight * (r.latencyP99Ms - baseline);
  }

  /**
   * Whether a scrape shows any traffic symptom, for the alerting rule evaluated as each scrape lands: learns
   * nothing and allocates nothing (the backlog's growth needs the previous scrape, which the cycle keeps).
   */
  alerting(si: number, r: TrafficReading, objective: LatencyObjective | undefined, factor: number): boolean {
    if (objective?.p99Ms !== undefined && r.latencyP99Ms > objective.p99Ms) return true;
    if (objective?.p50Ms !== undefined && r.latencyP50Ms > objective.p50Ms) return true;
    const learned = this.baselineP99[si] ?? Number.NaN;
    if (objective?.p99Ms === undefined && r.latencyP99Ms > factor * learned) return true;
    if (r.originalRps > T.minRps && r.retryRps >= (T.amplification - 1) * r.originalRps) return true;
    return r.servedRps > T.minRps && r.goodputRps < T.goodputShare * r.servedRps;
  }
}

/** A quantile over its declared objective, or the p99 over the learned limit when none is declared. */
const tailSymptoms = (
  service: ServiceId,
  r: TrafficReading,
  objective: LatencyObjective | undefined,
  learnedLimitMs: number,
  out: Symptom[],
): void => {
  const p99 = objective?.p99Ms;
  if (p99 !== undefined) {
    if (r.latencyP99Ms > p99) out.push(tail(service, 'p99', r.latencyP99Ms, p99, 'slo'));
  } else if (r.latencyP99Ms > learnedLimitMs) {
    out.push(tail(service, 'p99', r.latencyP99Ms, learnedLimitMs, 'baseline'));
  }
  const p50 = objective?.p50Ms;
  if (p50 !== undefined && r.latencyP50Ms > p50) out.push(tail(service, 'p50', r.latencyP50Ms, p50, 'slo'));
};

const tail = (
  service: ServiceId,
  quantile: 'p50' | 'p99',
  latencyMs: number,
  limitMs: number,
  source: 'slo' | 'baseline',
): Symptom => ({ kind: 'tail-latency', service, quantile, latencyMs, limitMs, source });

/** Whether a symptom speaks of a service's traffic (the kinds a node failure's services also show). */
export const isServiceSymptom = (
  s: Symptom,
): s is Extract<
  Symptom,
  {
    kind:
      | 'service-errors'
      | 'service-latency'
      | 'tail-latency'
      | 'backlog-growing'
      | 'retry-amplification'
      | 'goodput-collapse';
  }
> => SERVICE_SYMPTOMS.has(s.kind);

const SERVICE_SYMPTOMS: ReadonlySet<Symptom['kind']> = new Set([
  'service-errors',
  'service-latency',
  'tail-latency',
  'backlog-growing',
  'retry-amplification',
  'goodput-collapse',
]);
