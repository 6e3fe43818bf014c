import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import type { Mutable } from '../cluster/runtime/ownership.ts';
import type { ServiceScrape } from '../cluster/runtime/scrapes.ts';
import type { ReplicaRole } from '../cluster/runtime/states.ts';
import {
  type ContainerStatus,
  EMPTY_READING,
  type LatencyObjective,
  type NodeReading,
  type Sensors,
} from '../cluster/sensors.ts';
import type { MapekConfig } from './config.ts';
import { DependencyWatch } from './dependency-readings.ts';
import { HeartbeatDetectors } from './failure-detectors.ts';
import { busyWithOwnLoad } from './primary-load.ts';
import { PROCESS_DIAGNOSIS } from './process-diagnosis.ts';
import { ResourceTrend } from './resource-trend.ts';
import { placementsOf, readTopology } from './topology.ts';
import { type TrafficReading, TrafficWatch } from './traffic-symptoms.ts';
import {
  type ClusterState,
  type DependencyHealth,
  isCutOff,
  type LoadEstimate,
  type ServiceHealth,
  type Symptom,
  type SystemMetrics,
  type Topology,
} from './types.ts';

/** Fixed symptom thresholds, as data: the ones a scenario tunes live in MapekConfig. */
export const SYMPTOM_THRESHOLDS = {
  /**
   * Node CPU taken by something other than the replicas at or above this is pressure. Replicas saturating
   * their own node is load, which the service symptoms speak for; a runaway process is exhaustion.
   */
  cpuOther: 0.5,
  /** Disk in use at or above this is pressure (requests start failing at 98 %). */
  disk: 0.95,
  /** Memory in use at or above this is pressure (the first slow-down band). */
  memory: 0.85,
  /** A memory slope at or above this per minute, on a node above its normal level, is a leak. */
  memoryLeakPerMin: 0.02,
  /** How far above its normal level a node's memory must be before a slope counts as a leak. */
  memoryLeakMargin: 0.05,
  /** Readings of memory kept per node for the slope, and the fewest that give one. */
  memoryWindow: 8,
  memoryMinPoints: 5,
  /** A service failing more than this share of its requests has a symptom (the level's own tolerance). */
  serviceErrorRate: 0.01,
  /**
   * The operator's own shedding fails its share of requests by design: a service's errors count only above
   * it, with this relative margin for the scrape's noise (five deviations of the 2 % default).
   */
  shedMargin: 0.1,
  /** Above these a service is inspected replica by replica. */
  drillErrorRate: 0.005,
  drillLatencyFactor: 1.3,
  /** Weight of a new healthy scrape in a service's latency baseline and a node's normal memory. */
  baselineWeight: 0.1,
  /** Peers asked to probe a silent node. */
  probePeers: 3,
} as const;

const T = SYMPTOM_THRESHOLDS;
const NO_NODES: ReadonlySet<NodeId> = new Set();

/** What one monitor phase hands to analysis. */
export interface MonitorSample {
  readonly state: ClusterState;
  readonly symptoms: readonly Symptom[];
  /** Containers the alerting rules on their status show (src/mapek/process-diagnosis.ts); absent: none. */
  readonly containers?: readonly ContainerStatus[];
}

/**
 * The Monitor phase's work: samples the sensors (and nothing else) and turns readings into symptoms. Keeps
 * the detectors' per-node history in plain typed arrays; reads the inventory and replica scrapes only when
 * something looks wrong, so a healthy cycle costs O(nodes + services) and allocates little.
 */
export class Monitor {
  private readonly nodes: readonly NodeId[];
  private readonly services: readonly ServiceId[];
  private readonly detectors: HeartbeatDetectors;
  private readonly memory: ResourceTrend;
  private readonly scrapedAt: Float64Array;
  private readonly lastMemory: Float64Array;
  private readonly normalMemory: Float64Array;
  private readonly phi: Float64Array;
  private readonly nodeIndex: ReadonlyMap<NodeId, number>;
  /** Each service's learned normal latency, by service index (NaN until its first scrape). */
  private readonly baselineLatency: Float64Array;
  private readonly dependencyWatch = new DependencyWatch();
  /** Each service's traffic: learned p99, the backlog at the last scrape. */
  private readonly traffic: TrafficWatch;
  /** Each service's declared latency objectives, by service index. */
  private readonly objectives: readonly (LatencyObjective | undefined)[];
  private readonly suspected: boolean[] = [];
  /** One reading, filled in place for each node in turn: a cycle reads every node and allocates nothing. */
  private readonly reading: Mutable<NodeReading> = { ...EMPTY_READING };
  /** The same for each service's traffic. */
  private readonly trafficReading: Mutable<TrafficReading> = {
    atMs: 0,
    servedRps: 0,
    originalRps: 0,
    retryRps: 0,
    goodputRps: 0,
    backlog: 0,
    latencyP50Ms: 0,
    latencyP99Ms: 0,
  };

  constructor(
    private readonly sensors: Sensors,
    private readonly config: MapekConfig,
    private readonly startMs: number,
  ) {
    this.nodes = sensors.nodeIds();
    this.services = sensors.serviceIds();
    this.nodeIndex = new Map(this.nodes.map((id, i) => [id, i]));
    this.baselineLatency = new Float64Array(this.services.length).fill(Number.NaN);
    this.traffic = new TrafficWatch(this.services.length);
    // Declared once in the scenario: read once.
    this.objectives = this.services.map((id) => sensors.latencyObjective(id));
    const n = this.nodes.length;
    this.detectors = new HeartbeatDetectors(n, sensors.heartbeatIntervalMs, startMs);
    this.memory = new ResourceTrend(n, T.memoryWindow);
    this.scrapedAt = new Float64Array(n).fill(-1);
    this.lastMemory = new Float64Array(n);
    this.normalMemory = new Float64Array(n).fill(Number.NaN);
    this.phi = new Float64Array(n);
  }

  /**
   * Samples every sensor at `nowMs`. The inventory is read only when something looks wrong (the silence of
   * `settled` nodes aside: known and dealt with) or `wantTopology` asks for it.
   */
  sample(nowMs: number, wantTopology: boolean, settled: ReadonlySet<NodeId> = NO_NODES): MonitorSample {
    const symptoms: Symptom[] = [];
    const suspects = this.sampleNodes(nowMs, symptoms);
    const { services, metrics, drill, scrapedAtMs } = this.sampleServices(symptoms, suspects.length);
    let topology: Topology | undefined;
    const containers = this.sensors.troubledContainers(PROCESS_DIAGNOSIS.memoryShare);
    const news = symptoms.some((s) => !isCutOff(s) || !settled.has(s.node)) || containers.length > 0;
    if (drill.length > 0 || news || wantTopology) {
      topology = readTopology(this.sensors, nowMs);
      if (drill.length > 0) this.drillDown(drill, topology, symptoms);
    }
    const state: ClusterState = {
      observedAtMs: nowMs,
      scrapedAtMs,
      metrics,
      services,
      suspectedNodes: suspects,
      ...(topology === undefined ? {} : { topology }),
    };
    return containers.length === 0 ? { state, symptoms } : { state, symptoms, containers };
  }

  /**
   * Whether the latest scrape shows a service off its normal level: errors above the symptom threshold, or
   * latency past `latencyThreshold` times its learned baseline. O(services), learns nothing: what an alerting
   * rule evaluates as each scrape lands, so the loop can look at once instead of at its next cycle.
   */
  alerting(): boolean {
    for (let si = 0; si < this.services.length; si++) {
      const id = this.services[si] as ServiceId;
      const scrape = this.sensors.service(id);
      if (scrape === undefined) continue;
      if (scrape.errorRate - beyondShed(this.sensors.shedFraction(id)) > T.serviceErrorRate) return true;
      const baseline = this.baselineLatency[si] ?? Number.NaN;
      if (scrape.latencyMs > this.config.latencyThreshold * baseline) return true;
      const traffic = readTraffic(scrape, this.sensors.shedFraction(id), this.trafficReading);
      const objective = this.objectives[si];
      if (this.traffic.alerting(si, traffic, objective, this.config.latencyThreshold)) return true;
    }
    return false;
  }

  private sampleNodes(nowMs: number, symptoms: Symptom[]): NodeId[] {
    const s = this.sensors;
    const k = this.config.missedHeartbeats;
    const phiThreshold = this.config.phiThreshold;
    const fresh = nowMs - 3 * s.heartbeatIntervalMs - this.config.cycleIntervalMs;
    const suspects: NodeId[] = [];
    const suspected = this.suspected;
    for (let i = 0; i < this.nodes.length; i++) {
      const id = this.nodes[i] as NodeId;
      const phi = this.detectors.observe(i, s.lastHeartbeatMs(id), nowMs);
      const isSuspect = this.detectors.missed(i) >= k || phi >= phiThreshold;
      const wasSuspect = suspected[i] === true;
      suspected[i] = isSuspect;
      this.phi[i] = phi;
      const reading = s.readNode(id, this.reading) ? this.reading : undefined;
      if (reading !== undefined && reading.scrapedAtMs > (this.scrapedAt[i] ?? -1)) {
        this.scrapedAt[i] = reading.scrapedAtMs;
        this.observeMemory(i, reading.scrapedAtMs, reading.memory);
      }
      if (isSuspect) {
        suspects.push(id);
        continue;
      }
      if (wasSuspect) {
        // Back from silence (a reboot, a healed link): the old readings describe another life of the node.
        this.memory.reset(i);
        this.normalMemory[i] = Number.NaN;
      }
      if (reading === undefined) continue;
      // The node sent a heartbeat after a scrape of it failed, so it was running then: if a ping fails now
      // too, nothing reaches it (a one-way partition). A node that has just come back answers the ping; one
      // that crashed sent nothing after the failed scrape.
      if (!reading.reachable && s.lastHeartbeatSentMs(id) > reading.attemptedAtMs && !s.ping(id)) {
        symptoms.push({ kind: 'node-unreachable', node: id, lastScrapedAtMs: reading.scrapedAtMs });
        continue;
      }
      if (!reading.reachable || reading.scrapedAtMs < fresh) continue;
      if (reading.cpuOther >= T.cpuOther)
        symptoms.push({ kind: 'cpu-pressure', node: id, value: reading.cpuOther });
      if (reading.disk >= T.disk) symptoms.push({ kind: 'disk-pressure', node: id, value: reading.disk });
      const memory = reading.memory;
      // The slope only matters above the node's normal level: compute it only then.
      const elevated = memory >= (this.normalMemory[i] ?? Number.NaN) + T.memoryLeakMargin;
      const trend = memory >= T.memory || elevated ? this.memory.slopePerMin(i, T.memoryMinPoints) : 0;
      if (memory >= T.memory || (elevated && trend >= T.memoryLeakPerMin)) {
        symptoms.push({ kind: 'memory-pressure', node: id, value: memory, trendPerMin: trend });
      }
    }
    for (const id of suspects) symptoms.push(this.silence(id));
    return suspects;
  }

  private observeMemory(i: number, atMs: number, value: number): void {
    const previous = this.lastMemory[i] ?? 0;
    // A sharp drop is a restart clearing memory: the slope before it no longer applies.
    if (this.memory.count(i) > 0 && value < previous - 0.15) {
      this.memory.reset(i);
      this.normalMemory[i] = Number.NaN;
    }
    this.lastMemory[i] = value;
    this.memory.push(i, atMs, value);
    const normal = this.normalMemory[i] ?? Number.NaN;
    if (Number.isNaN(normal)) this.normalMemory[i] = value;
    else if (value < normal + T.memoryLeakMargin)
      this.normalMemory[i] = normal + T.baselineWeight * (value - normal);
  }

  /** The silence symptom of a suspect, with what the cloud API and the peers say about it. */
  private silence(id: NodeId): Symptom {
    const s = this.sensors;
    const i = this.nodeIndex.get(id) ?? 0;
    let peerSees = false;
    let asked = 0;
    // Deterministic peers: the next responsive nodes after the suspect, wrapping around.
    for (let step = 1; step < this.nodes.length && asked < T.probePeers && !peerSees; step++) {
      const j = (i + step) % this.nodes.length;
      if (this.suspected[j] === true) continue;
      const result = s.probe(this.nodes[j] as NodeId, id);
      if (result === 'via-unreachable') continue;
      asked++;
      peerSees = result === 'ok';
    }
    // A node never heard from is taken to have gone quiet when the loop started, as the detectors do.
    const silentSinceMs = Math.max(s.lastHeartbeatSentMs(id) + s.heartbeatIntervalMs, this.startMs);
    return {
      kind: 'heartbeat-silence',
      node: id,
      silenceMs: this.detectors.silenceMs(i),
      missed: this.detectors.missed(i),
      phi: this.phi[i] ?? 0,
      host: s.hostStatus(id) ?? 'running',
      silentSinceMs,
      hostFreshAtMs: silentSinceMs + s.hostStatusLagMs,
      peerSees,
      lastMemory: this.lastMemory[i] ?? 0,
    };
  }

  private sampleServices(symptoms: Symptom[], suspects: number) {
    const services: ServiceHealth[] = [];
    const drill: { service: ServiceId; atMs: number }[] = [];
    let offered = 0;
    let served = 0;
    let latencyWeighted = 0;
    let worst = 0;
    let scrapedAtMs = Number.POSITIVE_INFINITY;
    for (let si = 0; si < this.services.length; si++) {
      const id = this.services[si] as ServiceId;
      const scrape = this.sensors.service(id);
      if (scrape === undefined) {
        scrapedAtMs = -1;
        continue;
      }
      scrapedAtMs = Math.min(scrapedAtMs, scrape.atMs);
      offered += scrape.offeredRps;
      served += scrape.servedRps;
      latencyWeighted += scrape.servedRps * scrape.latencyMs;
      if (scrape.offeredRps > 0) worst = Math.max(worst, 1 - scrape.servedRps / scrape.offeredRps);
      const learned = this.baselineLatency[si] ?? Number.NaN;
      const baseline = Number.isNaN(learned) ? scrape.latencyMs : learned;
      // Requests the operator sheds fail by design: only errors beyond them are a symptom.
      const shedFraction = this.sensors.shedFraction(id);
      const errors = scrape.errorRate - beyondShed(shedFraction) > T.serviceErrorRate;
      const slow = scrape.latencyMs > this.config.latencyThreshold * baseline;
      if (errors) symptoms.push({ kind: 'service-errors', service: id, errorRate: scrape.errorRate });
      if (slow) {
        symptoms.push({
          kind: 'service-latency',
          service: id,
          latencyMs: scrape.latencyMs,
          baselineMs: baseline,
        });
      }
      const traffic = readTraffic(scrape, shedFraction, this.trafficReading);
      const objective = this.objectives[si];
      this.traffic.observe(si, id, traffic, objective, this.config.latencyThreshold, symptoms);
      // The p99 is a gauge at the scrape: a slow node shows in it at once, in the interval's mean a scrape later.
      if (
        scrape.errorRate - beyondShed(shedFraction) > T.drillErrorRate ||
        scrape.latencyMs > T.drillLatencyFactor * baseline ||
        traffic.latencyP99Ms > T.drillLatencyFactor * this.traffic.baseline(si)
      ) {
        drill.push({ service: id, atMs: scrape.atMs });
      } else if (scrape.latencyMs > 0) {
        // Learn what normal looks like only from scrapes that look normal.
        this.baselineLatency[si] = baseline + T.baselineWeight * (scrape.latencyMs - baseline);
      }
      services.push({
        service: id,
        offeredRps: scrape.offeredRps,
        servedRps: scrape.servedRps,
        errorRate: scrape.errorRate,
        latencyMs: scrape.latencyMs,
        baselineLatencyMs: baseline,
        shedFraction,
        load: loadOf(traffic),
        ...dependenciesOf(this.dependencyWatch.read(id, scrape.dependencies, this.sensors.calls(id))),
      });
    }
    const metrics: SystemMetrics = {
      offeredRps: offered,
      servedRps: served,
      errorRate: offered > 0 ? Math.max(0, 1 - served / offered) : 0,
      latencyMs: served > 0 ? latencyWeighted / served : 0,
      degradationPercent: Math.max(0, worst) * 100,
      nodesResponding: this.nodes.length - suspects,
      nodes: this.nodes.length,
    };
    return { services, metrics, drill, scrapedAtMs: Number.isFinite(scrapedAtMs) ? scrapedAtMs : -1 };
  }

  /** Looks at each replica of the services that look wrong, for the ones that stand out from their peers. */
  private drillDown(
    drill: readonly { service: ServiceId; atMs: number }[],
    topology: Topology,
    out: Symptom[],
  ) {
    for (const { service, atMs } of drill) {
      const rows: {
        replica: ReplicaId;
        node: NodeId;
        errorRate: number;
        latencyMs: number;
        p99Ms: number;
        role: ReplicaRole;
        rps: number;
        cpu: number;
      }[] = [];
      for (const p of placementsOf(topology, service)) {
        if (p.starting || !p.inRotation || this.suspected[this.nodeIndex.get(p.node) ?? -1] === true)
          continue;
        const scrape = this.sensors.replica(p.replica);
        // Only replicas scraped in the same round as the service: a stale scrape describes the past.
        if (scrape === undefined || scrape.atMs < atMs) continue;
        rows.push({
          replica: p.replica,
          node: p.node,
          errorRate: scrape.errorRate,
          latencyMs: scrape.latencyMs,
          p99Ms: scrape.latencyP99Ms,
          role: scrape.role,
          rps: scrape.rps,
          cpu: scrape.cpu,
        });
      }
      // An outlier stands out from its peers: with no peer to compare with, or when every replica fails
      // alike, the service is short of capacity and no node is to blame.
      if (rows.length < 2) continue;
      // Each replica against the median of the others: sorted once, the median without one value is a
      // lookup (a cycle that drills into a service of hundreds of replicas stays O(n log n)).
      const errorRates = rows.map((x) => x.errorRate).sort((a, b) => a - b);
      // A failing replica's latency describes the few requests it served, not its speed: it is no yardstick.
      const healthy = (x: { readonly errorRate: number }) => x.errorRate <= this.config.errorRateThreshold;
      const latencies = rows
        .filter(healthy)
        .map((x) => x.latencyMs)
        .filter((ms) => ms > 0)
        .sort((a, b) => a - b);
      // Sorted only when a replica's mean does not already stand out.
      let tails: number[] | undefined;
      for (const r of rows) {
        // A primary busy with the writes it takes fails and lags by its own load, not its node's.
        if (busyWithOwnLoad(r, rows)) continue;
        const peerErrors = medianWithout(errorRates, r.errorRate);
        if (r.errorRate > this.config.errorRateThreshold && r.errorRate > 2 * peerErrors) {
          out.push({
            kind: 'replica-errors',
            replica: r.replica,
            service,
            node: r.node,
            errorRate: r.errorRate,
          });
          continue;
        }
        const peerMs =
          r.latencyMs > 0 && healthy(r) ? medianWithout(latencies, r.latencyMs) : medianOf(latencies);
        if (peerMs > 0 && r.latencyMs > this.config.latencyThreshold * peerMs) {
          out.push({
            kind: 'replica-latency',
            replica: r.replica,
            service,
            node: r.node,
            latencyMs: r.latencyMs,
            peerMs,
          });
          continue;
        }
        // The same test on the p99 gauge, which shows a replica turned slow at the scrape itself.
        tails ??= rows
          .filter(healthy)
          .map((x) => x.p99Ms)
          .filter((ms) => ms > 0)
          .sort((a, b) => a - b);
        const peerP99 = r.p99Ms > 0 && healthy(r) ? medianWithout(tails, r.p99Ms) : medianOf(tails);
        if (peerP99 > 0 && r.p99Ms > this.config.latencyThreshold * peerP99) {
          out.push({
            kind: 'replica-latency',
            replica: r.replica,
            service,
            node: r.node,
            latencyMs: r.p99Ms,
            peerMs: peerP99,
          });
        }
      }
    }
  }
}

/** The error rate a service's own shedding explains, noise included. */
const beyondShed = (shedFraction: number): number => shedFraction * (1 + T.shedMargin);

/**
 * Fills `into` with a service scrape's traffic. The load balancer counts the users' requests before shedding
 * (`offeredRps`); the clients' originals are what the operator's own shedding lets through.
 */
const readTraffic = (scrape: ServiceScrape, shedFraction: number, into: Mutable<TrafficReading>) => {
  into.atMs = scrape.atMs;
  into.servedRps = scrape.servedRps;
  into.originalRps = scrape.offeredRps * (1 - shedFraction);
  into.retryRps = scrape.retryRps;
  into.goodputRps = scrape.goodputRps;
  into.backlog = scrape.backlog;
  into.latencyP50Ms = scrape.latencyP50Ms;
  into.latencyP99Ms = scrape.latencyP99Ms;
  return into;
};

/** A scrape's traffic as the analysis weighs it. */
const loadOf = (r: TrafficReading): LoadEstimate => ({
  originalRps: r.originalRps,
  attemptsRps: r.originalRps + r.retryRps,
  throughputRps: r.servedRps,
  goodputRps: r.goodputRps,
  backlog: r.backlog,
});

/** The median of a sorted list (0 when empty). */
const medianOf = (sorted: readonly number[]): number => medianSkipping(sorted, -1);

/** The median of a sorted list with one occurrence of `value` (which it holds) left out. */
const medianWithout = (sorted: readonly number[], value: number): number => {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return medianSkipping(sorted, lo);
};

/** The median of a sorted list with the element at index `skip` left out (-1: none). */
const medianSkipping = (sorted: readonly number[], skip: number): number => {
  const n = skip < 0 ? sorted.length : sorted.length - 1;
  if (n <= 0) return 0;
  const mid = n >> 1;
  // Positions at or past the skipped one shift by one (no closure: this runs per replica drilled into).
  const upper = sorted[skip >= 0 && mid >= skip ? mid + 1 : mid] ?? 0;
  if (n % 2 === 1) return upper;
  const lower = sorted[skip >= 0 && mid - 1 >= skip ? mid : mid - 1] ?? 0;
  return (lower + upper) / 2;
};

/** The dependencies field of a service's health, absent for a service that calls nothing. */
const dependenciesOf = (
  d: readonly DependencyHealth[] | undefined,
): { dependencies?: readonly DependencyHealth[] } => (d === undefined ? {} : { dependencies: d });
