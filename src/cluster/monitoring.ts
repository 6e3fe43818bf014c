import type { SimKernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { Cluster } from './cluster.ts';
import type { MonitoringField, Mutable, Owned } from './runtime/ownership.ts';
import type { Replica, ServiceRuntime } from './runtime/records.ts';
import type { ReplicaScrape, ServiceScrape } from './runtime/scrapes.ts';
import { FIELD, noisy } from './scrape-noise.ts';
import { ServiceScrapes } from './service-scrapes.ts';

/** A node's scraped resource readings, noised (see {@link Monitoring.nodeMetrics}). */
export interface NodeMetrics {
  cpu: number;
  cpuOther: number;
  memory: number;
  disk: number;
}

const INF = Number.POSITIVE_INFINITY;

/** A node's readings, in the order `Monitoring.nodeReadings` keeps them: their noise fields and their ceilings. */
const NODE_FIELD = [FIELD.nodeCpu, FIELD.nodeCpuOther, FIELD.nodeMemory, FIELD.nodeDisk] as const;
const NODE_MAX = [1, 1, 2, 2] as const;
const NODE_READINGS = NODE_FIELD.length;

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
  /**
   * The nodes' readings as measured at their last successful scrape, before noise (see nodeMetrics): at
   * `NODE_READINGS * index` its CPU, the CPU used outside the replicas' cgroups (system, other processes, as
   * node-exporter breaks it down), memory and disk, in `NODE_FIELD` order.
   */
  private readonly nodeReadings: Float64Array;
  /** nodeMetrics's noised readings on their way into the caller's record. */
  private readonly nodeNoised = new Float64Array(NODE_READINGS);
  /** When the last scrape round ran, successful or not, for every node (-1 before the first). */
  lastAttemptMs = -1;
  private scrapes = 0;
  private readonly services: ServiceScrapes;
  private readonly listeners: (() => void)[] = [];
  private readonly sd: number;

  constructor(
    private readonly cluster: Cluster,
    private readonly kernel: SimKernel,
    private readonly noise: RandomStream,
    // The traffic model's newer readings (goodput, retries, timeouts, backlog, percentiles) draw their noise
    // from a stream of their own, so the existing readings keep every draw they had; null: noiseless.
    flowNoise: RandomStream | null = null,
  ) {
    const n = cluster.nodes.length;
    this.nodeScrapedAtMs = new Float64Array(n).fill(-1);
    this.nodeUp = new Uint8Array(n);
    this.nodeReadings = new Float64Array(NODE_READINGS * n);
    this.sd = cluster.spec.sensors.metricNoise;
    this.services = new ServiceScrapes(cluster, noise, flowNoise, this.sd);
  }

  /** The last scrape of a replica, noised, or null before its first (a fresh object each call). */
  replicaScrape(r: Replica): ReplicaScrape | null {
    const raw = r.scrape;
    if (raw === null) return null;
    const t = raw.atMs;
    const e = r.slot;
    return {
      ...raw,
      rps: noisy(this.noise, this.sd, raw.rps, INF, t, e, FIELD.rps),
      errorRate: noisy(this.noise, this.sd, raw.errorRate, 1, t, e, FIELD.errorRate),
      latencyMs: noisy(this.noise, this.sd, raw.latencyMs, INF, t, e, FIELD.latencyMs),
      cpu: noisy(this.noise, this.sd, raw.cpu, 1, t, e, FIELD.cpu),
    };
  }

  /** The last scrape of a service's load-balancer metrics, noised, or null before its second scrape. */
  serviceScrape(s: ServiceRuntime): ServiceScrape | null {
    return this.services.scrape(s);
  }

  /**
   * Fills `into` with {@link serviceScrape}'s readings, for a reader that reads every service every cycle and
   * would rather not allocate; false (and `into` untouched) before the service's second scrape.
   */
  readServiceScrape(s: ServiceRuntime, into: Mutable<ServiceScrape>): boolean {
    return this.services.read(s, into);
  }

  /**
   * Fills `into` with node `i`'s readings at its last successful scrape, noised (zeros before the first), for
   * a reader that reads every node every cycle and would rather not allocate.
   */
  nodeMetrics(i: number, into: NodeMetrics): void {
    const t = this.nodeScrapedAtMs[i] ?? -1;
    const raw = this.nodeReadings;
    const out = this.nodeNoised;
    const at = NODE_READINGS * i;
    // One call site in a loop, not one a reading: small enough for the noise to be inlined into it whole, so
    // no reading is boxed on its way out (this runs for every node every cycle).
    for (let k = 0; k < NODE_READINGS; k++) {
      out[k] = noisy(this.noise, this.sd, raw[at + k] ?? 0, NODE_MAX[k] ?? 1, t, i, NODE_FIELD[k] ?? 0);
    }
    into.cpu = out[0] ?? 0;
    into.cpuOther = out[1] ?? 0;
    into.memory = out[2] ?? 0;
    into.disk = out[3] ?? 0;
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
      this.services.take(s, now);
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
      const at = NODE_READINGS * i;
      this.nodeReadings[at] = Math.min(1, cond.cpuHog + busy / cores);
      this.nodeReadings[at + 1] = cond.cpuHog;
      this.nodeReadings[at + 2] = this.memoryUse(node.index, now);
      this.nodeReadings[at + 3] = cond.diskUse;
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
}
