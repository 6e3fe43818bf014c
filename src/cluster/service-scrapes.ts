import type { RandomStream } from '../sim/random-streams.ts';
import type { Cluster } from './cluster.ts';
import { DependencyReadings } from './dependency-readings.ts';
import type { Mutable } from './runtime/ownership.ts';
import type { ServiceRuntime } from './runtime/records.ts';
import type { ServiceScrape } from './runtime/scrapes.ts';

/** The service counters a scrape was taken from. */
interface ServiceBase {
  atMs: number;
  offered: number;
  served: number;
  latency: number;
  goodput: number;
  timeouts: number;
  retries: number;
  rejected: number;
}

/**
 * The field number of each noised reading in the noise's counter space (with the scrape's time and the
 * entity's number: node index, replica slot, service index). Distinct, so no two readings share a value.
 */
export const FIELD = {
  nodeCpu: 0,
  nodeCpuOther: 1,
  nodeMemory: 2,
  nodeDisk: 3,
  rps: 4,
  errorRate: 5,
  latencyMs: 6,
  cpu: 7,
  offeredRps: 8,
  servedRps: 9,
  serviceErrorRate: 10,
  serviceLatencyMs: 11,
  goodputRps: 12,
  retryRps: 13,
  timeoutRps: 14,
  rejectedRps: 15,
  backlog: 16,
  latencyP50Ms: 17,
  latencyP95Ms: 18,
  latencyP99Ms: 19,
} as const;

const INF = Number.POSITIVE_INFINITY;

/** Multiplicative Gaussian noise at one point, clamped to [0, max]: a reading is never negative. */
export const noisy = (
  noise: RandomStream,
  sd: number,
  value: number,
  max: number,
  t: number,
  entity: number,
  field: number,
): number => {
  if (sd <= 0 || value === 0) return value;
  return Math.min(max, Math.max(0, value * (1 + sd * noise.noiseAt(t, entity, field))));
};

/** Multiplicative noise from the flow stream at one point, clamped at 0 (no noise without that stream). */
const flowNoisy = (
  n: RandomStream | null,
  sd: number,
  value: number,
  t: number,
  entity: number,
  field: number,
) => {
  if (n === null || sd <= 0 || value === 0) return Math.max(0, value);
  return Math.max(0, value * (1 + sd * n.noiseAt(t, entity, field)));
};

/**
 * A service scrape of zeros, to be filled in place: a literal rather than a spread of another scrape, whose
 * copy V8 would give fields that hold any value, so each number stored in it would be a new heap number. Its
 * key order is the one the copies handed out have always had.
 */
const emptyScrape = (dependencies: ServiceScrape['dependencies']): Mutable<ServiceScrape> => ({
  atMs: 0,
  offeredRps: 0,
  servedRps: 0,
  errorRate: 0,
  latencyMs: 0,
  goodputRps: 0,
  retryRps: 0,
  timeoutRps: 0,
  rejectedRps: 0,
  backlog: 0,
  latencyP50Ms: 0,
  latencyP95Ms: 0,
  latencyP99Ms: 0,
  degradedRps: 0,
  dependencies,
});

/**
 * The load balancer's side of the monitoring system (src/cluster/monitoring.ts): each service's readings as
 * measured at its last scrape, and noised on reading. Per service, by index: the raw scrape and the counters
 * it was taken from (both refilled in place each scrape: nothing outside reads them), the readings noised
 * (filled in place on the first read of each scrape and never handed out, so a reader that copies them
 * allocates nothing) and the copy `scrape` hands out, made once a scrape.
 */
export class ServiceScrapes {
  private readonly raws: (Mutable<ServiceScrape> | null)[];
  private readonly bases: (ServiceBase | null)[];
  private readonly noised: (Mutable<ServiceScrape> | null)[];
  private readonly copies: (ServiceScrape | null)[];
  private readonly dependencies = new DependencyReadings();

  constructor(
    private readonly cluster: Cluster,
    private readonly noise: RandomStream,
    private readonly flowNoise: RandomStream | null,
    private readonly sd: number,
  ) {
    this.raws = cluster.services.map(() => null);
    this.bases = cluster.services.map(() => null);
    this.noised = cluster.services.map(() => null);
    this.copies = cluster.services.map(() => null);
  }

  /** The last scrape of a service's load-balancer metrics, noised, or null before its second scrape. */
  scrape(s: ServiceRuntime): ServiceScrape | null {
    const noised = this.noisedOf(s);
    if (noised === null) return null;
    const cached = this.copies[s.index] ?? null;
    if (cached !== null && cached.atMs === noised.atMs) return cached;
    // Its own object: a reader may keep it past the next scrape, which refills the noised readings in place.
    const copy: ServiceScrape = { ...noised };
    this.copies[s.index] = copy;
    return copy;
  }

  /** Fills `into` with {@link scrape}'s readings; false (and `into` untouched) before the second scrape. */
  read(s: ServiceRuntime, into: Mutable<ServiceScrape>): boolean {
    const n = this.noisedOf(s);
    if (n === null) return false;
    into.atMs = n.atMs;
    into.offeredRps = n.offeredRps;
    into.servedRps = n.servedRps;
    into.errorRate = n.errorRate;
    into.latencyMs = n.latencyMs;
    into.goodputRps = n.goodputRps;
    into.retryRps = n.retryRps;
    into.timeoutRps = n.timeoutRps;
    into.rejectedRps = n.rejectedRps;
    into.backlog = n.backlog;
    into.latencyP50Ms = n.latencyP50Ms;
    into.latencyP95Ms = n.latencyP95Ms;
    into.latencyP99Ms = n.latencyP99Ms;
    into.degradedRps = n.degradedRps;
    into.dependencies = n.dependencies;
    return true;
  }

  /** Takes a service's load-balancer readings as measured (noise comes on reading). */
  take(s: ServiceRuntime, now: number): void {
    const base = this.bases[s.index] ?? null;
    // The call graph's readings keep bases of their own and draw no noise: every other draw keeps its order.
    const calls = this.dependencies.read(s, now);
    if (base === null) {
      this.bases[s.index] = {
        atMs: now,
        offered: s.offeredTotal,
        served: s.servedTotal,
        latency: s.latencyTotal,
        goodput: s.goodputTotal,
        timeouts: s.timeoutTotal,
        retries: s.retryTotal,
        rejected: s.rejectedTotal,
      };
      return;
    }
    const dt = (now - base.atMs) / 1_000;
    const offered = s.offeredTotal - base.offered;
    const served = s.servedTotal - base.served;
    const goodput = s.goodputTotal - base.goodput;
    const latency = s.latencyTotal - base.latency;
    const retries = s.retryTotal - base.retries;
    const timeouts = s.timeoutTotal - base.timeouts;
    const rejected = s.rejectedTotal - base.rejected;
    base.atMs = now;
    base.offered = s.offeredTotal;
    base.served = s.servedTotal;
    base.latency = s.latencyTotal;
    base.goodput = s.goodputTotal;
    base.timeouts = s.timeoutTotal;
    base.retries = s.retryTotal;
    base.rejected = s.rejectedTotal;
    if (dt <= 0) return;
    const raw: Mutable<ServiceScrape> = this.raws[s.index] ?? emptyScrape(calls.dependencies);
    raw.atMs = now;
    raw.offeredRps = offered / dt;
    raw.servedRps = served / dt;
    // The users' error rate, as the load balancer counts failed responses (a timeout is a 504): not
    // 1 - served / offered, which a retry storm's throughput drives below 0.
    raw.errorRate = offered > 0 ? Math.max(0, 1 - goodput / offered) : 0;
    raw.latencyMs = served > 0 ? latency / served : 0;
    raw.goodputRps = Math.max(0, goodput / dt);
    raw.retryRps = Math.max(0, retries / dt);
    raw.timeoutRps = Math.max(0, timeouts / dt);
    raw.rejectedRps = Math.max(0, rejected / dt);
    raw.backlog = this.cluster.traffic.serviceBacklogNow(s);
    // Quantiles at the scrape instant: a histogram over the last interval would blend the interval's states.
    raw.latencyP50Ms = s.latencyP50Ms;
    raw.latencyP95Ms = s.latencyP95Ms;
    raw.latencyP99Ms = s.latencyP99Ms;
    raw.degradedRps = calls.degradedRps;
    raw.dependencies = calls.dependencies;
    this.raws[s.index] = raw;
  }

  /** The service's last scrape noised, brought up to date with its raw scrape first; null before its second. */
  private noisedOf(s: ServiceRuntime): ServiceScrape | null {
    const raw = this.raws[s.index] ?? null;
    if (raw === null) return null;
    let n = this.noised[s.index] ?? null;
    if (n !== null && n.atMs === raw.atMs) return n;
    if (n === null) {
      n = emptyScrape(raw.dependencies);
      this.noised[s.index] = n;
    }
    const { noise, flowNoise: flow, sd } = this;
    const t = raw.atMs;
    const e = s.index;
    n.atMs = t;
    n.offeredRps = noisy(noise, sd, raw.offeredRps, INF, t, e, FIELD.offeredRps);
    n.servedRps = noisy(noise, sd, raw.servedRps, INF, t, e, FIELD.servedRps);
    n.errorRate = noisy(noise, sd, raw.errorRate, 1, t, e, FIELD.serviceErrorRate);
    n.latencyMs = noisy(noise, sd, raw.latencyMs, INF, t, e, FIELD.serviceLatencyMs);
    n.goodputRps = flowNoisy(flow, sd, raw.goodputRps, t, e, FIELD.goodputRps);
    n.retryRps = flowNoisy(flow, sd, raw.retryRps, t, e, FIELD.retryRps);
    n.timeoutRps = flowNoisy(flow, sd, raw.timeoutRps, t, e, FIELD.timeoutRps);
    n.rejectedRps = flowNoisy(flow, sd, raw.rejectedRps, t, e, FIELD.rejectedRps);
    n.backlog = Math.round(flowNoisy(flow, sd, raw.backlog, t, e, FIELD.backlog));
    n.latencyP50Ms = flowNoisy(flow, sd, raw.latencyP50Ms, t, e, FIELD.latencyP50Ms);
    n.latencyP95Ms = flowNoisy(flow, sd, raw.latencyP95Ms, t, e, FIELD.latencyP95Ms);
    n.latencyP99Ms = flowNoisy(flow, sd, raw.latencyP99Ms, t, e, FIELD.latencyP99Ms);
    n.degradedRps = raw.degradedRps;
    n.dependencies = raw.dependencies;
    return n;
  }
}
