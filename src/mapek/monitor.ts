import type { NodeId, ServiceId } from '../cluster/ids.ts';
import type { Mutable } from '../cluster/runtime/ownership.ts';
import type { ServiceScrape } from '../cluster/runtime/scrapes.ts';
import type { ContainerStatus, LatencyObjective, Sensors } from '../cluster/sensors.ts';
import type { MapekConfig } from './config.ts';
import { DependencyWatch } from './dependency-readings.ts';
import { NodeWatch } from './node-watch.ts';
import { PROCESS_DIAGNOSIS } from './process-diagnosis.ts';
import { findReplicaOutliers } from './replica-outliers.ts';
import { SYMPTOM_THRESHOLDS } from './symptom-thresholds.ts';
import { TopologyReader } from './topology.ts';
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
 * The Monitor phase's work: samples the sensors (and nothing else) and turns readings into symptoms: the
 * nodes' through its `NodeWatch`, the services' here, and the replicas' (`findReplicaOutliers`) and the
 * inventory only when something looks wrong, so a healthy cycle costs O(nodes + services) and allocates little.
 */
export class Monitor {
  /** The nodes' side: heartbeats, resource readings, silence. */
  private readonly nodes: NodeWatch;
  private readonly services: readonly ServiceId[];
  /** Each service's learned normal latency, by service index (NaN until its first scrape). */
  private readonly baselineLatency: Float64Array;
  private readonly dependencyWatch = new DependencyWatch();
  /** Each service's traffic: learned p99, the backlog at the last scrape. */
  private readonly traffic: TrafficWatch;
  /** The inventory, read when something looks wrong. */
  private readonly topology: TopologyReader;
  /** Each service's declared latency objectives, by service index. */
  private readonly objectives: readonly (LatencyObjective | undefined)[];
  /** One traffic reading, filled in place for each service in turn: a cycle allocates none. */
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
  /** One service scrape, filled in place for each service in turn (see `Sensors.readServiceAt`). */
  private readonly scrape: Mutable<ServiceScrape> = {
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
    dependencies: [],
  };

  constructor(
    private readonly sensors: Sensors,
    private readonly config: MapekConfig,
    startMs: number,
  ) {
    this.nodes = new NodeWatch(sensors, config, startMs);
    this.services = sensors.serviceIds();
    this.baselineLatency = new Float64Array(this.services.length).fill(Number.NaN);
    this.traffic = new TrafficWatch(this.services.length);
    this.topology = new TopologyReader(sensors, this.services);
    // Declared once in the scenario: read once.
    this.objectives = this.services.map((id) => sensors.latencyObjective(id));
  }

  /**
   * Samples every sensor at `nowMs`. The inventory is read only when something looks wrong (the silence of
   * `settled` nodes aside: known and dealt with) or `wantTopology` asks for it.
   */
  sample(nowMs: number, wantTopology: boolean, settled: ReadonlySet<NodeId> = NO_NODES): MonitorSample {
    const symptoms: Symptom[] = [];
    const suspects = this.nodes.sample(nowMs, symptoms);
    const { services, metrics, drill, scrapedAtMs } = this.sampleServices(symptoms, suspects.length);
    let topology: Topology | undefined;
    const containers = this.sensors.troubledContainers(PROCESS_DIAGNOSIS.memoryShare);
    const news = symptoms.some((s) => !isCutOff(s) || !settled.has(s.node)) || containers.length > 0;
    if (drill.length > 0 || news || wantTopology) {
      topology = this.topology.read(nowMs);
      if (drill.length > 0) {
        const suspected = (node: NodeId) => this.nodes.isSuspected(node);
        findReplicaOutliers(this.sensors, this.config, drill, topology, suspected, symptoms);
      }
    }
    // The topology last when read, where the spread that built the state before put it: the same key order.
    const state: Mutable<ClusterState> = {
      observedAtMs: nowMs,
      scrapedAtMs,
      metrics,
      services,
      suspectedNodes: suspects,
    };
    if (topology !== undefined) state.topology = topology;
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
      const scrape = this.scrape;
      if (!this.sensors.readServiceAt(si, scrape)) continue;
      if (scrape.errorRate - beyondShed(this.sensors.shedFraction(id)) > T.serviceErrorRate) return true;
      const baseline = this.baselineLatency[si] ?? Number.NaN;
      if (scrape.latencyMs > this.config.latencyThreshold * baseline) return true;
      const traffic = readTraffic(scrape, this.sensors.shedFraction(id), this.trafficReading);
      const objective = this.objectives[si];
      if (this.traffic.alerting(si, traffic, objective, this.config.latencyThreshold)) return true;
    }
    return false;
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
      const scrape = this.scrape;
      if (!this.sensors.readServiceAt(si, scrape)) {
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
      const dependencies = this.dependencyWatch.read(id, scrape.dependencies, this.sensors.calls(id));
      services.push(healthOf(id, scrape, baseline, shedFraction, loadOf(traffic), dependencies));
    }
    const metrics: SystemMetrics = {
      offeredRps: offered,
      servedRps: served,
      errorRate: offered > 0 ? Math.max(0, 1 - served / offered) : 0,
      latencyMs: served > 0 ? latencyWeighted / served : 0,
      degradationPercent: Math.max(0, worst) * 100,
      nodesResponding: this.nodes.count - suspects,
      nodes: this.nodes.count,
    };
    return { services, metrics, drill, scrapedAtMs: Number.isFinite(scrapedAtMs) ? scrapedAtMs : -1 };
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

/** A service's health, its dependencies field absent for a service that calls nothing (last, as always). */
const healthOf = (
  service: ServiceId,
  scrape: ServiceScrape,
  baselineLatencyMs: number,
  shedFraction: number,
  load: LoadEstimate,
  dependencies: readonly DependencyHealth[] | undefined,
): ServiceHealth => {
  const health: Mutable<ServiceHealth> = {
    service,
    offeredRps: scrape.offeredRps,
    servedRps: scrape.servedRps,
    errorRate: scrape.errorRate,
    latencyMs: scrape.latencyMs,
    baselineLatencyMs,
    shedFraction,
    load,
  };
  if (dependencies !== undefined) health.dependencies = dependencies;
  return health;
};
