import type { RandomStream } from '../sim/random-streams.ts';
import type { Cluster } from './cluster.ts';
import { DependencyReadings } from './dependency-readings.ts';
import type { Mutable } from './runtime/ownership.ts';
import type { ServiceRuntime } from './runtime/records.ts';
import type { ServiceScrape } from './runtime/scrapes.ts';
import { FIELD, flowNoisy, noisy } from './scrape-noise.ts';

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

const INF = Number.POSITIVE_INFINITY;

/**
 * A service's noised readings in the order the scrapes keep them (`READINGS` a service, at `READINGS * index`):
 * their noise fields, and the ceiling of the first `FROM_SENSORS`, which draw from the sensors' stream and are
 * clamped to [0, max]; the rest draw from the flow stream and are clamped at 0.
 */
const READING_FIELD = [
  FIELD.offeredRps,
  FIELD.servedRps,
  FIELD.serviceErrorRate,
  FIELD.serviceLatencyMs,
  FIELD.goodputRps,
  FIELD.retryRps,
  FIELD.timeoutRps,
  FIELD.rejectedRps,
  FIELD.backlog,
  FIELD.latencyP50Ms,
  FIELD.latencyP95Ms,
  FIELD.latencyP99Ms,
] as const;
const READING_MAX = [INF, INF, 1, INF] as const;
const FROM_SENSORS = READING_MAX.length;
const READINGS = READING_FIELD.length;
/** The backlog's place: a count, rounded after its noise. */
const BACKLOG = 8;

/**
 * The load balancer's side of the monitoring system (src/cluster/monitoring.ts): each service's readings as
 * measured at its last scrape, and noised on reading. Per service, by index: the counters its last scrape was
 * taken from, its readings as measured and noised (plain typed arrays refilled in place: nothing outside
 * reads them, and the noise of a whole scrape is one loop over one call site, small enough to inline, so no
 * reading is boxed), and the copy `scrape` hands out, made once a scrape.
 */
export class ServiceScrapes {
  private readonly bases: (ServiceBase | null)[];
  /** When each service's last scrape was taken; NaN before its second (the first only sets the base). */
  private readonly rawAt: Float64Array;
  private readonly raw: Float64Array;
  private readonly degraded: Float64Array;
  private readonly calls: (ServiceScrape['dependencies'] | null)[];
  /** The scrape time each service's noised readings are of; NaN before the first read. */
  private readonly noisedAt: Float64Array;
  private readonly noised: Float64Array;
  private readonly copies: (ServiceScrape | null)[];
  private readonly dependencies = new DependencyReadings();

  constructor(
    private readonly cluster: Cluster,
    private readonly noise: RandomStream,
    private readonly flowNoise: RandomStream | null,
    private readonly sd: number,
  ) {
    const n = cluster.services.length;
    this.bases = cluster.services.map(() => null);
    this.rawAt = new Float64Array(n).fill(Number.NaN);
    this.raw = new Float64Array(READINGS * n);
    this.degraded = new Float64Array(n);
    this.calls = cluster.services.map(() => null);
    this.noisedAt = new Float64Array(n).fill(Number.NaN);
    this.noised = new Float64Array(READINGS * n);
    this.copies = cluster.services.map(() => null);
  }

  /** The last scrape of a service's load-balancer metrics, noised, or null before its second scrape. */
  scrape(s: ServiceRuntime): ServiceScrape | null {
    const i = s.index;
    const dependencies = this.noisedOf(i);
    if (dependencies === null) return null;
    const atMs = this.rawAt[i] ?? 0;
    const cached = this.copies[i] ?? null;
    if (cached !== null && cached.atMs === atMs) return cached;
    // Its own object, in the key order scrapes have always had: a reader may keep it past the next scrape.
    const v = this.noised;
    const o = READINGS * i;
    const copy: ServiceScrape = {
      atMs,
      offeredRps: v[o] ?? 0,
      servedRps: v[o + 1] ?? 0,
      errorRate: v[o + 2] ?? 0,
      latencyMs: v[o + 3] ?? 0,
      goodputRps: v[o + 4] ?? 0,
      retryRps: v[o + 5] ?? 0,
      timeoutRps: v[o + 6] ?? 0,
      rejectedRps: v[o + 7] ?? 0,
      backlog: v[o + 8] ?? 0,
      latencyP50Ms: v[o + 9] ?? 0,
      latencyP95Ms: v[o + 10] ?? 0,
      latencyP99Ms: v[o + 11] ?? 0,
      degradedRps: this.degraded[i] ?? 0,
      dependencies,
    };
    this.copies[i] = copy;
    return copy;
  }

  /** Fills `into` with {@link scrape}'s readings; false (and `into` untouched) before the second scrape. */
  read(s: ServiceRuntime, into: Mutable<ServiceScrape>): boolean {
    const i = s.index;
    const dependencies = this.noisedOf(i);
    if (dependencies === null) return false;
    const v = this.noised;
    const o = READINGS * i;
    into.atMs = this.rawAt[i] ?? 0;
    into.offeredRps = v[o] ?? 0;
    into.servedRps = v[o + 1] ?? 0;
    into.errorRate = v[o + 2] ?? 0;
    into.latencyMs = v[o + 3] ?? 0;
    into.goodputRps = v[o + 4] ?? 0;
    into.retryRps = v[o + 5] ?? 0;
    into.timeoutRps = v[o + 6] ?? 0;
    into.rejectedRps = v[o + 7] ?? 0;
    into.backlog = v[o + 8] ?? 0;
    into.latencyP50Ms = v[o + 9] ?? 0;
    into.latencyP95Ms = v[o + 10] ?? 0;
    into.latencyP99Ms = v[o + 11] ?? 0;
    into.degradedRps = this.degraded[i] ?? 0;
    into.dependencies = dependencies;
    return true;
  }

  /** Takes a service's load-balancer readings as measured (noise comes on reading). */
  take(s: ServiceRuntime, now: number): void {
    const i = s.index;
    const base = this.bases[i] ?? null;
    // The call graph's readings keep bases of their own and draw no noise: every other draw keeps its order.
    const calls = this.dependencies.read(s, now);
    if (base === null) {
      this.bases[i] = {
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
    const r = this.raw;
    const o = READINGS * i;
    this.rawAt[i] = now;
    r[o] = offered / dt;
    r[o + 1] = served / dt;
    // The users' error rate, as the load balancer counts failed responses (a timeout is a 504): not
    // 1 - served / offered, which a retry storm's throughput drives below 0.
    r[o + 2] = offered > 0 ? Math.max(0, 1 - goodput / offered) : 0;
    r[o + 3] = served > 0 ? latency / served : 0;
    r[o + 4] = Math.max(0, goodput / dt);
    r[o + 5] = Math.max(0, retries / dt);
    r[o + 6] = Math.max(0, timeouts / dt);
    r[o + 7] = Math.max(0, rejected / dt);
    r[o + 8] = this.cluster.traffic.serviceBacklogNow(s);
    // Quantiles at the scrape instant: a histogram over the last interval would blend the interval's states.
    r[o + 9] = s.latencyP50Ms;
    r[o + 10] = s.latencyP95Ms;
    r[o + 11] = s.latencyP99Ms;
    this.degraded[i] = calls.degradedRps;
    this.calls[i] = calls.dependencies;
  }

  /**
   * Brings service `i`'s noised readings up to date with its last scrape; its dependencies, or null before its
   * second scrape.
   */
  private noisedOf(i: number): ServiceScrape['dependencies'] | null {
    const dependencies = this.calls[i] ?? null;
    const t = this.rawAt[i] ?? Number.NaN;
    if (dependencies === null || Number.isNaN(t)) return null;
    if (this.noisedAt[i] === t) return dependencies;
    const { noise, flowNoise: flow, sd, raw, noised } = this;
    const o = READINGS * i;
    for (let k = 0; k < READINGS; k++) {
      const value = raw[o + k] ?? 0;
      const field = READING_FIELD[k] ?? 0;
      noised[o + k] =
        k < FROM_SENSORS
          ? noisy(noise, sd, value, READING_MAX[k] ?? INF, t, i, field)
          : flowNoisy(flow, sd, value, t, i, field);
    }
    noised[o + BACKLOG] = Math.round(noised[o + BACKLOG] ?? 0);
    this.noisedAt[i] = t;
    return dependencies;
  }
}
