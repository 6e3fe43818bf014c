import type { SimKernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { Cluster } from './cluster.ts';
import { DependencyReadings } from './dependency-readings.ts';
import type { MonitoringField, Mutable, Owned } from './runtime/ownership.ts';
import type { Replica, ServiceRuntime } from './runtime/records.ts';
import type { ReplicaScrape, ServiceScrape } from './runtime/scrapes.ts';

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

/** A node's scraped resource readings, noised (see {@link Monitoring.nodeMetrics}). */
export interface NodeMetrics {
  cpu: number;
  cpuOther: number;
  memory: number;
  disk: number;
}

/**
 * The field number of each noised reading in the noise's counter space (with the scrape's time and the
 * entity's number: node index, replica slot, service index). Distinct, so no two readings share a value.
 */
const FIELD = {
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

/**
 * The monitoring system inside the simulated world: it scrapes every node and replica it can reach at a
 * fixed interval, as Prometheus would, and keeps the last result with seeded noise. Controllers read these
 * results, never the live state, so what they see is as stale and as noisy as a real dashboard.
 *
 * A scrape stores each reading as measured; its noise is applied when the reading is read, from a counter
 * space (stream, scrape time, entity, field: `RandomStream.noiseAt`) rather than the stream's sequence, so
 * the value a reader sees is fixed by the scrape alone and a reading nobody reads costs no noise.
 */
export class Monitoring {
  /** Time of each node's last successful scrape (-1 before the first). */
  readonly nodeScrapedAtMs: Float64Array;
  /** Whether the last scrape attempt of each node succeeded. */
  readonly nodeUp: Uint8Array;
  // The nodes' readings as measured at their last successful scrape, before noise (see nodeMetrics).
  private readonly nodeCpu: Float64Array;
  /** CPU used outside the replicas' cgroups (system, other processes), as node-exporter breaks it down. */
  private readonly nodeCpuOther: Float64Array;
  private readonly nodeMemory: Float64Array;
  private readonly nodeDisk: Float64Array;
  /** When the last scrape round ran, successful or not, for every node (-1 before the first). */
  lastAttemptMs = -1;
  private scrapes = 0;
  // Per service, by index: the last scrape of its load-balancer metrics as measured, its noised copy (made on
  // the first read) and the counters it was taken from.
  private readonly serviceScrapes: (ServiceScrape | null)[];
  private readonly serviceNoised: (ServiceScrape | null)[];
  private readonly serviceBase: (ServiceBase | null)[];
  private readonly listeners: (() => void)[] = [];
  private readonly sd: number;
  private readonly dependencies = new DependencyReadings();

  constructor(
    private readonly cluster: Cluster,
    private readonly kernel: SimKernel,
    private readonly noise: RandomStream,
    // The traffic model's newer readings (goodput, retries, timeouts, backlog, percentiles) draw their noise
    // from a stream of their own, so the existing readings keep every draw they had; null: noiseless.
    private readonly flowNoise: RandomStream | null = null,
  ) {
    const n = cluster.nodes.length;
    this.nodeScrapedAtMs = new Float64Array(n).fill(-1);
    this.nodeUp = new Uint8Array(n);
    this.nodeCpu = new Float64Array(n);
    this.nodeCpuOther = new Float64Array(n);
    this.nodeMemory = new Float64Array(n);
    this.nodeDisk = new Float64Array(n);
    this.serviceScrapes = cluster.services.map(() => null);
    this.serviceNoised = cluster.services.map(() => null);
    this.sd = cluster.spec.sensors.metricNoise;
    this.serviceBase = cluster.services.map(() => null);
  }

  /** The last scrape of a replica, noised, or null before its first (a fresh object each call). */
  replicaScrape(r: Replica): ReplicaScrape | null {
    const raw = r.scrape;
    if (raw === null) return null;
    const t = raw.atMs;
    const e = r.slot;
    return {
      ...raw,
      rps: this.noisy(raw.rps, INF, t, e, FIELD.rps),
      errorRate: this.noisy(raw.errorRate, 1, t, e, FIELD.errorRate),
      latencyMs: this.noisy(raw.latencyMs, INF, t, e, FIELD.latencyMs),
      cpu: this.noisy(raw.cpu, 1, t, e, FIELD.cpu),
    };
  }

  /** The last scrape of a service's load-balancer metrics, noised, or null before its second scrape. */
  serviceScrape(s: ServiceRuntime): ServiceScrape | null {
    const raw = this.serviceScrapes[s.index] ?? null;
    if (raw === null) return null;
    const cached = this.serviceNoised[s.index] ?? null;
    if (cached !== null && cached.atMs === raw.atMs) return cached;
    const t = raw.atMs;
    const e = s.index;
    const noised: ServiceScrape = {
      ...raw,
      offeredRps: this.noisy(raw.offeredRps, INF, t, e, FIELD.offeredRps),
      servedRps: this.noisy(raw.servedRps, INF, t, e, FIELD.servedRps),
      errorRate: this.noisy(raw.errorRate, 1, t, e, FIELD.serviceErrorRate),
      latencyMs: this.noisy(raw.latencyMs, INF, t, e, FIELD.serviceLatencyMs),
      goodputRps: this.flowNoisy(raw.goodputRps, t, e, FIELD.goodputRps),
      retryRps: this.flowNoisy(raw.retryRps, t, e, FIELD.retryRps),
      timeoutRps: this.flowNoisy(raw.timeoutRps, t, e, FIELD.timeoutRps),
      rejectedRps: this.flowNoisy(raw.rejectedRps, t, e, FIELD.rejectedRps),
      backlog: Math.round(this.flowNoisy(raw.backlog, t, e, FIELD.backlog)),
      latencyP50Ms: this.flowNoisy(raw.latencyP50Ms, t, e, FIELD.latencyP50Ms),
      latencyP95Ms: this.flowNoisy(raw.latencyP95Ms, t, e, FIELD.latencyP95Ms),
      latencyP99Ms: this.flowNoisy(raw.latencyP99Ms, t, e, FIELD.latencyP99Ms),
    };
    this.serviceNoised[s.index] = noised;
    return noised;
  }

  /**
   * Fills `into` with node `i`'s readings at its last successful scrape, noised (zeros before the first), for
   * a reader that reads every node every cycle and would rather not allocate.
   */
  nodeMetrics(i: number, into: NodeMetrics): void {
    const t = this.nodeScrapedAtMs[i] ?? -1;
    into.cpu = this.noisy(this.nodeCpu[i] ?? 0, 1, t, i, FIELD.nodeCpu);
    into.cpuOther = this.noisy(this.nodeCpuOther[i] ?? 0, 1, t, i, FIELD.nodeCpuOther);
    into.memory = this.noisy(this.nodeMemory[i] ?? 0, 2, t, i, FIELD.nodeMemory);
    into.disk = this.noisy(this.nodeDisk[i] ?? 0, 2, t, i, FIELD.nodeDisk);
  }

  /** Number of scrapes so far. */
  get scrapeCount(): number {
    return this.scrapes;
  }

  /**
   * Calls `listener` after every scrape, once its results are all in (an alerting pipeline's push); returns
   * the function that stops it.
   */
  onScrape(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Scrapes now and then every `scrapeIntervalMs`. */
  start(): void {
    const interval = this.cluster.spec.sensors.scrapeIntervalMs;
    const tick = () => {
      this.scrape();
      this.kernel.after(interval, tick);
    };
    this.kernel.after(interval, tick);
  }

  /** One scrape of everything reachable. */
  scrape(): void {
    const now = this.kernel.nowMs;
    const c = this.cluster;
    const cores = c.spec.nodes.cpuCores;
    this.scrapes++;
    this.lastAttemptMs = now;
    for (const s of c.services) {
      c.traffic.fold(s);
      this.scrapeService(s, now);
    }
    for (const node of c.nodes) {
      const i = node.index;
      const reachable = node.state === 'up' && c.network.controlLinked(i);
      this.nodeUp[i] = reachable ? 1 : 0;
      if (!reachable) continue;
      // One pass over the node's replicas: their scrapes, and the CPU they use for the node's reading.
      let busy = 0;
      for (const r of node.replicas) {
        if (r.state === 'removed') continue;
        if (r.state === 'running') busy += r.service.spec.cpuPerReplica * r.utilisation;
        this.scrapeReplica(r, now);
      }
      const cond = node.condition;
      this.nodeScrapedAtMs[i] = now;
      this.nodeCpu[i] = Math.min(1, cond.cpuHog + busy / cores);
      this.nodeCpuOther[i] = cond.cpuHog;
      this.nodeMemory[i] = this.memoryUse(node.index, now);
      this.nodeDisk[i] = cond.diskUse;
    }
    // By index, not for-of: the listeners are closures of this world, and V8 left a loop over them by iterator
    // deoptimizing on every scrape of a second world in the same process (each sweep worker runs many).
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]?.();
  }

  /** Memory use right now, following a leak between band events. */
  private memoryUse(index: number, now: number): number {
    const node = this.cluster.nodes[index];
    if (node === undefined) return 0;
    // Most nodes carry no effect: no iterator to allocate for them.
    if (node.effects.size === 0) return node.condition.memoryUse;
    let leak = 0;
    for (const e of node.effects.values()) if (e.resource === 'memory') leak += e.leakPerMs;
    if (leak === 0) return node.condition.memoryUse;
    // The condition was computed at its last refresh; the leak has grown it linearly since.
    return node.condition.memoryUse + (leak * (now - node.conditionAtMs)) / node.limits.memoryFactor;
  }

  /** Takes a replica's readings as measured (noise comes on reading: {@link replicaScrape}). */
  private scrapeReplica(replica: Replica, now: number): void {
    const r: Owned<Replica, MonitoringField> = replica;
    const dt = (now - r.baseAtMs) / 1_000;
    const served = r.servedTotal - r.baseServed;
    const failed = r.failedTotal - r.baseFailed;
    const latency = r.latencyTotal - r.baseLatency;
    r.baseAtMs = now;
    r.baseServed = r.servedTotal;
    r.baseFailed = r.failedTotal;
    r.baseLatency = r.latencyTotal;
    if (dt <= 0) return;
    const total = served + failed;
    const s = r.service;
    const scrape: Mutable<ReplicaScrape> = r.scrape ?? {
      atMs: 0,
      rps: 0,
      errorRate: 0,
      latencyMs: 0,
      latencyP99Ms: 0,
      backlog: 0,
      timeoutRps: 0,
      cpu: 0,
      replicationLag: 0,
      role: r.role,
    };
    scrape.atMs = now;
    scrape.rps = served / dt;
    scrape.errorRate = total > 0 ? failed / total : 0;
    scrape.latencyMs = served > 0 ? latency / served : 0;
    scrape.cpu = r.utilisation;
    scrape.replicationLag =
      r.role === 'replica' ? Math.max(0, Math.round(s.committed - this.cluster.logPosition(r))) : 0;
    scrape.role = r.role;
    // Gauges read at the scrape instant, as an exporter's in-flight gauge and a histogram's recent buckets;
    // noiseless, as before noise came on reading (the service's carry noise).
    scrape.latencyP99Ms = r.latencyP99Ms;
    // Only a saturated replica (every worker busy) can have a backlog, or be growing one: the rest read 0 as is.
    scrape.backlog = r.utilisation >= 1 ? Math.round(this.cluster.traffic.replicaBacklogNow(r)) : 0;
    scrape.timeoutRps = r.timeoutRps;
    r.scrape = scrape;
  }

  /** Takes a service's load-balancer readings as measured (noise comes on reading: {@link serviceScrape}). */
  private scrapeService(s: ServiceRuntime, now: number): void {
    const base = this.serviceBase[s.index] ?? null;
    this.serviceBase[s.index] = {
      atMs: now,
      offered: s.offeredTotal,
      served: s.servedTotal,
      latency: s.latencyTotal,
      goodput: s.goodputTotal,
      timeouts: s.timeoutTotal,
      retries: s.retryTotal,
      rejected: s.rejectedTotal,
    };
    // The call graph's readings keep bases of their own and draw no noise: every other draw keeps its order.
    const calls = this.dependencies.read(s, now);
    if (base === null) return;
    const dt = (now - base.atMs) / 1_000;
    if (dt <= 0) return;
    const offered = s.offeredTotal - base.offered;
    const served = s.servedTotal - base.served;
    this.serviceScrapes[s.index] = {
      atMs: now,
      offeredRps: offered / dt,
      servedRps: served / dt,
      // The users' error rate, as the load balancer counts failed responses (a timeout is a 504): not
      // 1 - served / offered, which a retry storm's throughput drives below 0.
      errorRate: offered > 0 ? Math.max(0, 1 - (s.goodputTotal - base.goodput) / offered) : 0,
      latencyMs: served > 0 ? (s.latencyTotal - base.latency) / served : 0,
      goodputRps: Math.max(0, (s.goodputTotal - base.goodput) / dt),
      retryRps: Math.max(0, (s.retryTotal - base.retries) / dt),
      timeoutRps: Math.max(0, (s.timeoutTotal - base.timeouts) / dt),
      rejectedRps: Math.max(0, (s.rejectedTotal - base.rejected) / dt),
      backlog: this.cluster.traffic.serviceBacklogNow(s),
      // Quantiles at the scrape instant: a histogram over the last interval would blend the interval's states.
      latencyP50Ms: s.latencyP50Ms,
      latencyP95Ms: s.latencyP95Ms,
      latencyP99Ms: s.latencyP99Ms,
      degradedRps: calls.degradedRps,
      dependencies: calls.dependencies,
    };
  }

  /** Multiplicative noise from the flow stream at one point, clamped at 0 (no noise without that stream). */
  private flowNoisy(value: number, t: number, entity: number, field: number): number {
    const n = this.flowNoise;
    const sd = this.sd;
    if (n === null || sd <= 0 || value === 0) return Math.max(0, value);
    return Math.max(0, value * (1 + sd * n.noiseAt(t, entity, field)));
  }

  /** Multiplicative Gaussian noise at one point, clamped to [0, max]: a reading is never negative. */
  private noisy(value: number, max: number, t: number, entity: number, field: number): number {
    const sd = this.sd;
    if (sd <= 0 || value === 0) return value;
    return Math.min(max, Math.max(0, value * (1 + sd * this.noise.noiseAt(t, entity, field))));
  }
}
