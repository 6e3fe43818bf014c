import type { SimKernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { Cluster } from './cluster.ts';
import { DependencyReadings } from './dependency-readings.ts';
import type {
  MonitoringField,
  Mutable,
  Owned,
  Replica,
  ReplicaScrape,
  ServiceRuntime,
  ServiceScrape,
} from './runtime.ts';

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
 * The monitoring system inside the simulated world: it scrapes every node and replica it can reach at a
 * fixed interval, as Prometheus would, and keeps the last result with seeded noise. Controllers read these
 * results, never the live state, so what they see is as stale and as noisy as a real dashboard.
 */
export class Monitoring {
  /** Time of each node's last successful scrape (-1 before the first). */
  readonly nodeScrapedAtMs: Float64Array;
  /** Whether the last scrape attempt of each node succeeded. */
  readonly nodeUp: Uint8Array;
  readonly nodeCpu: Float64Array;
  /** CPU used outside the replicas' cgroups (system, other processes), as node-exporter breaks it down. */
  readonly nodeCpuOther: Float64Array;
  readonly nodeMemory: Float64Array;
  readonly nodeDisk: Float64Array;
  /** When the last scrape round ran, successful or not, for every node (-1 before the first). */
  lastAttemptMs = -1;
  private scrapes = 0;
  // Per service, by index: the last scrape of its load-balancer metrics and the counters it was taken from.
  private readonly serviceScrapes: (ServiceScrape | null)[];
  private readonly serviceBase: (ServiceBase | null)[];
  private readonly listeners: (() => void)[] = [];
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
    this.serviceBase = cluster.services.map(() => null);
  }

  /** The last scrape of a replica, or null before its first. */
  replicaScrape(r: Replica): ReplicaScrape | null {
    return r.scrape;
  }

  /** The last scrape of a service's load-balancer metrics, or null before its second scrape. */
  serviceScrape(s: ServiceRuntime): ServiceScrape | null {
    return this.serviceScrapes[s.index] ?? null;
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
    const sd = c.spec.sensors.metricNoise;
    const cores = c.spec.nodes.cpuCores;
    this.scrapes++;
    this.lastAttemptMs = now;
    for (const s of c.services) {
      c.traffic.fold(s);
      this.scrapeService(s, now, sd);
    }
    for (const node of c.nodes) {
      const i = node.index;
      const reachable = node.state === 'up' && c.network.controlLinked(i);
      this.nodeUp[i] = reachable ? 1 : 0;
      if (!reachable) continue;
      let busy = 0;
      for (const r of node.replicas)
        if (r.state === 'running') busy += r.service.spec.cpuPerReplica * r.utilisation;
      const cond = node.condition;
      this.nodeScrapedAtMs[i] = now;
      this.nodeCpu[i] = this.noisy(Math.min(1, cond.cpuHog + busy / cores), sd, 1);
      this.nodeCpuOther[i] = this.noisy(cond.cpuHog, sd, 1);
      this.nodeMemory[i] = this.noisy(this.memoryUse(node.index, now), sd, 2);
      this.nodeDisk[i] = this.noisy(cond.diskUse, sd, 2);
      for (const r of node.replicas) if (r.state !== 'removed') this.scrapeReplica(r, now, sd);
    }
    for (const listener of this.listeners) listener();
  }

  /** Memory use right now, following a leak between band events. */
  private memoryUse(index: number, now: number): number {
    const node = this.cluster.nodes[index];
    if (node === undefined) return 0;
    let leak = 0;
    for (const e of node.effects.values()) if (e.resource === 'memory') leak += e.leakPerMs;
    if (leak === 0) return node.condition.memoryUse;
    // The condition was computed at its last refresh; the leak has grown it linearly since.
    return node.condition.memoryUse + (leak * (now - node.conditionAtMs)) / node.limits.memoryFactor;
  }

  private scrapeReplica(replica: Replica, now: number, sd: number): void {
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
    scrape.rps = this.noisy(served / dt, sd, Number.POSITIVE_INFINITY);
    scrape.errorRate = total > 0 ? this.noisy(failed / total, sd, 1) : 0;
    scrape.latencyMs = served > 0 ? this.noisy(latency / served, sd, Number.POSITIVE_INFINITY) : 0;
    scrape.cpu = this.noisy(r.utilisation, sd, 1);
    scrape.replicationLag =
      r.role === 'replica' ? Math.max(0, Math.round(s.committed - this.cluster.logPosition(r))) : 0;
    scrape.role = r.role;
    // Gauges read at the scrape instant, as an exporter's in-flight gauge and a histogram's recent buckets;
    // noiseless: a draw per replica per scrape would cost a tenth of a run, and the service's carry noise.
    scrape.latencyP99Ms = r.latencyP99Ms;
    // Only a saturated replica (every worker busy) can have a backlog, or be growing one: the rest read 0 as is.
    scrape.backlog = r.utilisation >= 1 ? Math.round(this.cluster.traffic.replicaBacklogNow(r)) : 0;
    scrape.timeoutRps = r.timeoutRps;
    r.scrape = scrape;
  }

  private scrapeService(s: ServiceRuntime, now: number, sd: number): void {
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
      offeredRps: this.noisy(offered / dt, sd, Number.POSITIVE_INFINITY),
      servedRps: this.noisy(served / dt, sd, Number.POSITIVE_INFINITY),
      // The users' error rate, as the load balancer counts failed responses (a timeout is a 504): not
      // 1 - served / offered, which a retry storm's throughput drives below 0.
      errorRate:
        offered > 0 ? this.noisy(Math.max(0, 1 - (s.goodputTotal - base.goodput) / offered), sd, 1) : 0,
      latencyMs:
        served > 0 ? this.noisy((s.latencyTotal - base.latency) / served, sd, Number.POSITIVE_INFINITY) : 0,
      goodputRps: this.flowNoisy((s.goodputTotal - base.goodput) / dt, sd),
      retryRps: this.flowNoisy((s.retryTotal - base.retries) / dt, sd),
      timeoutRps: this.flowNoisy((s.timeoutTotal - base.timeouts) / dt, sd),
      rejectedRps: this.flowNoisy((s.rejectedTotal - base.rejected) / dt, sd),
      backlog: Math.round(this.flowNoisy(this.cluster.traffic.serviceBacklogNow(s), sd)),
      // Quantiles at the scrape instant: a histogram over the last interval would blend the interval's states.
      latencyP50Ms: this.flowNoisy(s.latencyP50Ms, sd),
      latencyP95Ms: this.flowNoisy(s.latencyP95Ms, sd),
      latencyP99Ms: this.flowNoisy(s.latencyP99Ms, sd),
      degradedRps: calls.degradedRps,
      dependencies: calls.dependencies,
    };
  }

  /** Multiplicative noise from the flow stream, clamped at 0 (no noise without that stream). */
  private flowNoisy(value: number, sd: number): number {
    const n = this.flowNoise;
    if (n === null || sd <= 0 || value === 0) return Math.max(0, value);
    return Math.max(0, value * (1 + sd * n.gaussianNoise()));
  }

  /** Multiplicative Gaussian noise, clamped to [0, max]: a reading is never negative. */
  private noisy(value: number, sd: number, max: number): number {
    if (sd <= 0 || value === 0) return value;
    return Math.min(max, Math.max(0, value * (1 + sd * this.noise.gaussianNoise())));
  }
}
