import type { NodeId } from '../cluster/ids.ts';
import type { Mutable } from '../cluster/runtime/ownership.ts';
import { emptyReading, type NodeReading, type Sensors } from '../cluster/sensors.ts';
import type { MapekConfig } from './config.ts';
import { HeartbeatDetectors } from './failure-detectors.ts';
import { ResourceTrend } from './resource-trend.ts';
import { SYMPTOM_THRESHOLDS } from './symptom-thresholds.ts';
import type { Symptom } from './types.ts';

const T = SYMPTOM_THRESHOLDS;

/**
 * The monitor's watch over the nodes: each node's heartbeat detectors, its scraped resources and their trend,
 * in plain typed arrays by node index, so a cycle over every node allocates nothing but its symptoms.
 */
export class NodeWatch {
  private readonly nodes: readonly NodeId[];
  private readonly nodeIndex: ReadonlyMap<NodeId, number>;
  private readonly detectors: HeartbeatDetectors;
  private readonly memory: ResourceTrend;
  private readonly scrapedAt: Float64Array;
  private readonly lastMemory: Float64Array;
  private readonly normalMemory: Float64Array;
  private readonly phi: Float64Array;
  private readonly suspected: boolean[] = [];
  /** One reading, filled in place for each node in turn. */
  private readonly reading: Mutable<NodeReading> = emptyReading();

  constructor(
    private readonly sensors: Sensors,
    private readonly config: MapekConfig,
    private readonly startMs: number,
  ) {
    this.nodes = sensors.nodeIds();
    this.nodeIndex = new Map(this.nodes.map((id, i) => [id, i]));
    const n = this.nodes.length;
    this.detectors = new HeartbeatDetectors(n, sensors.heartbeatIntervalMs, startMs);
    this.memory = new ResourceTrend(n, T.memoryWindow);
    this.scrapedAt = new Float64Array(n).fill(-1);
    this.lastMemory = new Float64Array(n);
    this.normalMemory = new Float64Array(n).fill(Number.NaN);
    this.phi = new Float64Array(n);
  }

  /** Number of nodes watched. */
  get count(): number {
    return this.nodes.length;
  }

  /** Whether the last sample suspected `node` (false for a node it does not know). */
  isSuspected(node: NodeId): boolean {
    return this.suspected[this.nodeIndex.get(node) ?? -1] === true;
  }

  /**
   * Reads every node's heartbeat and last scrape at `nowMs`, adds their symptoms to `symptoms` (the silence of
   * each suspect last) and returns the suspects, in node order.
   */
  sample(nowMs: number, symptoms: Symptom[]): NodeId[] {
    const s = this.sensors;
    const k = this.config.missedHeartbeats;
    const phiThreshold = this.config.phiThreshold;
    const fresh = nowMs - 3 * s.heartbeatIntervalMs - this.config.cycleIntervalMs;
    const suspects: NodeId[] = [];
    const suspected = this.suspected;
    for (let i = 0; i < this.nodes.length; i++) {
      const id = this.nodes[i] as NodeId;
      const phi = this.detectors.observe(i, s.lastHeartbeatMsAt(i), nowMs);
      const isSuspect = this.detectors.missed(i) >= k || phi >= phiThreshold;
      const wasSuspect = suspected[i] === true;
      suspected[i] = isSuspect;
      this.phi[i] = phi;
      const reading = s.readNodeAt(i, this.reading) ? this.reading : undefined;
      if (reading !== undefined && reading.scrapedAtMs > (this.scrapedAt[i] ?? -1)) {
        this.scrapedAt[i] = reading.scrapedAtMs;
        this.observeMemory(i);
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

  /**
   * Learns from node `i`'s reading in `this.reading`, read from there rather than passed: two numbers passed
   * to a call that is not inlined are two heap numbers, for every node every cycle.
   */
  private observeMemory(i: number): void {
    const atMs = this.reading.scrapedAtMs;
    const value = this.reading.memory;
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
}
