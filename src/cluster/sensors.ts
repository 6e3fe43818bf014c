import { type Cluster, routable } from './cluster.ts';
import {
  type ContainerStatus,
  containerStatus,
  containerStatuses,
  troubledContainers,
} from './container-status.ts';
import type { NodeId, ReplicaId, ServiceId } from './ids.ts';
import type { Monitoring } from './monitoring.ts';
import { emptyReading, type NodeReading } from './node-reading.ts';
import { latencyMultiplier } from './queueing.ts';
import { placementsMatch, type ReplicaPlacement, readPlacements } from './replica-placements.ts';
import type { Mutable } from './runtime/ownership.ts';
import type { NodeRuntime } from './runtime/records.ts';
import type { ReplicaScrape, ServiceScrape } from './runtime/scrapes.ts';
import type { Termination } from './runtime/states.ts';
import type { CallSpec } from './spec.ts';

/** What the cloud provider's API says about a machine, some seconds behind reality. */
export type HostStatus = 'running' | 'stopped' | 'starting';

export { EMPTY_READING, emptyReading, type NodeReading } from './node-reading.ts';
export type { ReplicaPlacement } from './replica-placements.ts';

/** A service's declared latency objectives (the scenario's latency SLO), in ms; absent keys are not declared. */
export interface LatencyObjective {
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

export type { ContainerStatus } from './container-status.ts';

/** Result of asking node `via` to ping node `target`. */
export type ProbeResult = 'ok' | 'timeout' | 'via-unreachable';

const HOST_STATUS = { up: 'running', crashed: 'stopped', booting: 'starting' } as const;

/**
 * Everything a controller may observe: heartbeats, scraped metrics, peer probes, the cloud API's host
 * status and the control plane's own inventory. Never the fault injector's ground truth.
 */
export class Sensors {
  constructor(
    private readonly cluster: Cluster,
    private readonly monitoring: Monitoring,
  ) {}

  get nowMs(): number {
    return this.cluster.nowMs;
  }

  /** Node ids in index order. */
  nodeIds(): readonly NodeId[] {
    return this.cluster.nodeIds;
  }

  /** Service ids in declaration order. */
  serviceIds(): readonly ServiceId[] {
    return this.cluster.services.map((s) => s.spec.name);
  }

  /** Arrival time of the last heartbeat from `node`, or -Infinity if none ever arrived. */
  lastHeartbeatMs(node: NodeId): number {
    const n = this.cluster.node(node);
    return n === undefined ? Number.NEGATIVE_INFINITY : this.lastHeartbeatMsAt(n.index);
  }

  /**
   * {@link lastHeartbeatMs} of the node at `index` in {@link nodeIds} order: for a reader that walks every node
   * every cycle, without a lookup by id.
   */
  lastHeartbeatMsAt(index: number): number {
    const n = this.cluster.nodes[index];
    return n === undefined ? Number.NEGATIVE_INFINITY : this.cluster.heartbeats.lastMs(n, this.nowMs);
  }

  /** Send time of the last heartbeat received from `node` (a heartbeat carries it), or -Infinity. */
  lastHeartbeatSentMs(node: NodeId): number {
    const n = this.cluster.node(node);
    return n === undefined ? Number.NEGATIVE_INFINITY : this.cluster.heartbeats.lastSentMs(n, this.nowMs);
  }

  /** Arrival times of heartbeats from `node` received after `fromMs` (the newest `max`), oldest first. */
  heartbeatArrivals(node: NodeId, fromMs: number, max = 32): number[] {
    const n = this.cluster.node(node);
    return n === undefined ? [] : this.cluster.heartbeats.arrivals(n, fromMs, this.nowMs, max);
  }

  /** The expected heartbeat interval. */
  get heartbeatIntervalMs(): number {
    return this.cluster.spec.sensors.heartbeatIntervalMs;
  }

  /** The last scrape of a node, or undefined for an unknown node. */
  node(node: NodeId): NodeReading | undefined {
    const out = emptyReading();
    return this.readNode(node, out) ? out : undefined;
  }

  /**
   * Fills `into` with the last scrape of a node, for a caller that reads every node every cycle and would
   * rather not allocate a reading each time; false (and `into` untouched) for an unknown node.
   */
  readNode(node: NodeId, into: Mutable<NodeReading>): boolean {
    const n = this.cluster.node(node);
    return n !== undefined && this.readNodeAt(n.index, into);
  }

  /** {@link readNode} of the node at `index` in {@link nodeIds} order, without a lookup by id. */
  readNodeAt(index: number, into: Mutable<NodeReading>): boolean {
    const n = this.cluster.nodes[index];
    if (n === undefined) return false;
    const m = this.monitoring;
    into.node = n.id;
    into.reachable = m.nodeUp[index] === 1;
    into.scrapedAtMs = m.nodeScrapedAtMs[index] ?? -1;
    into.attemptedAtMs = m.lastAttemptMs;
    m.nodeMetrics(index, into);
    return true;
  }

  /** The last scrape of a replica, if any succeeded (a copy of its own each call). */
  replica(replica: ReplicaId): ReplicaScrape | undefined {
    const r = this.cluster.replica(replica);
    return (r === undefined ? null : this.monitoring.replicaScrape(r)) ?? undefined;
  }

  /** The load balancer's metrics for a service over the last scrape interval. */
  service(service: ServiceId): ServiceScrape | undefined {
    const s = this.cluster.service(service);
    return s === undefined ? undefined : (this.monitoring.serviceScrape(s) ?? undefined);
  }

  /**
   * Fills `into` with {@link service}'s metrics of the service at `index` in {@link serviceIds} order, for a
   * reader that reads every service every cycle and would rather not allocate; false (and `into` untouched)
   * when there is no such service or no scrape of it yet.
   */
  readServiceAt(index: number, into: Mutable<ServiceScrape>): boolean {
    const s = this.cluster.services[index];
    return s !== undefined && this.monitoring.readServiceScrape(s, into);
  }

  /** Every replica the control plane knows of, with where it runs and whether it is in rotation. */
  placements(): ReplicaPlacement[] {
    return readPlacements(this.cluster.services);
  }

  /**
   * Whether {@link placements} would return a list equal to `list` now (the same replicas in the same order,
   * each on the same node with the same role, rotation and start-up), for a reader that keeps an inventory
   * between reads and would rather not rebuild it when nothing changed. O(replicas), allocating nothing.
   */
  placementsAre(list: readonly ReplicaPlacement[]): boolean {
    return placementsMatch(this.cluster.services, list);
  }

  /** The replica the control plane believes is primary of a stateful service. */
  primaryOf(service: ServiceId): ReplicaId | undefined {
    return this.cluster.service(service)?.primary?.id;
  }

  /** Asks node `via` to ping `target` (an indirect probe, as SWIM does). Needs `via` to be reachable. */
  probe(via: NodeId, target: NodeId): ProbeResult {
    const a = this.cluster.node(via);
    const b = this.cluster.node(target);
    if (a === undefined || b === undefined) return 'timeout';
    const net = this.cluster.network;
    if (a.state !== 'up' || !net.controlLinked(a.index)) return 'via-unreachable';
    return b.state === 'up' && net.connected(a.index, b.index) ? 'ok' : 'timeout';
  }

  /**
   * A node agent's local liveness probe of one of its replicas (what a kubelet sees): passes when the process
   * answers within `timeoutMs`. Local, so a network partition does not affect it; undefined if unknown.
   */
  livenessProbe(replica: ReplicaId, timeoutMs: number): boolean | undefined {
    const r = this.cluster.replica(replica);
    if (r === undefined || r.state === 'removed') return undefined;
    const cond = r.node.condition;
    if (r.state !== 'running' || r.node.state !== 'up' || cond.capacityFactor <= 0 || r.hung) return false;
    const stretch = cond.latencyFactor * r.processLatencyFactor;
    return r.service.spec.latencyMs * stretch * latencyMultiplier(r.utilisation) <= timeoutMs;
  }

  /** The status of one container, or undefined for an unknown or deleted replica. */
  container(replica: ReplicaId): ContainerStatus | undefined {
    const r = this.cluster.replica(replica);
    return r === undefined || r.state === 'removed'
      ? undefined
      : containerStatus(this.cluster, r, this.nowMs);
  }

  /** The status of every container of a service (all services when none is named), in placement order. */
  containers(service?: ServiceId): ContainerStatus[] {
    return containerStatuses(this.cluster, service, this.nowMs);
  }

  /** {@link troubledContainers} of the container-status module, at this instant (read it for the rules). */
  troubledContainers(memoryShare: number): ContainerStatus[] {
    return troubledContainers(this.cluster, memoryShare, this.nowMs);
  }

  /**
   * Calls `listener` when a container ends by itself (exited, or OOM-killed): the event a node's own agent
   * sees (the kubelet's pod lifecycle events). For node-local agents; returns nothing to stop it (agents live
   * as long as the world).
   */
  onContainerExit(listener: (replica: ReplicaId, reason: Termination, atMs: number) => void): void {
    this.cluster.processes.onExit((r, reason, atMs) => listener(r.id, reason, atMs));
  }

  /**
   * Whether a node's own agent (a kubelet) is running, which it is exactly while its node is up. Node-local
   * knowledge, for modelling agents that live on the node and act locally (`restart-replica` with `local`); a
   * central controller learns about nodes from heartbeats, pings and the cloud API instead.
   */
  nodeAgentUp(node: NodeId): boolean {
    return this.cluster.node(node)?.state === 'up';
  }

  /** Pings a node directly from the control plane. */
  ping(target: NodeId): boolean {
    const n = this.cluster.node(target);
    return n !== undefined && n.state === 'up' && this.cluster.network.controlLinked(n.index);
  }

  /**
   * How far behind reality `hostStatus` may be: the cloud API's documented freshness. A machine that stopped
   * at time t shows as stopped from t + this lag at the latest.
   */
  get hostStatusLagMs(): number {
    return this.cluster.spec.sensors.hostStatusLagMs;
  }

  /** Calls `listener` after every metrics scrape (an alerting push); returns the function that stops it. */
  onScrape(listener: () => void): () => void {
    return this.monitoring.onScrape(listener);
  }

  /** The cloud provider's view of a machine, `hostStatusLagMs` behind reality. */
  hostStatus(node: NodeId): HostStatus | undefined {
    const n = this.cluster.node(node);
    if (n === undefined) return undefined;
    return HOST_STATUS[laggedState(n, this.nowMs, this.cluster.spec.sensors.hostStatusLagMs)];
  }

  /** Which resource limits `raise-limit` has grown on a node (the operator made those changes). */
  limits(node: NodeId): { memoryFactor: number; diskFactor: number } | undefined {
    const n = this.cluster.node(node);
    return n === undefined ? undefined : { ...n.limits };
  }

  /** Whether a node is cordoned or drained (the operator's own configuration). */
  nodeFlags(node: NodeId): { cordoned: boolean; drained: boolean } | undefined {
    const n = this.cluster.node(node);
    return n === undefined ? undefined : { cordoned: n.cordoned, drained: n.drained };
  }

  /**
   * The latency objectives declared for a service (the scenario's latency SLO), if any: the operator wrote
   * them, so the loop may know them.
   */
  latencyObjective(service: ServiceId): LatencyObjective | undefined {
    if (this.cluster.service(service) === undefined) return undefined;
    // The scenario's objectives hold for every service (`slo.latencyP99`, `slo.latencyP50`).
    const c: ObjectiveCriteria = this.cluster.criteria;
    if (c.latencyP50Ms === undefined && c.latencyP99Ms === undefined) return undefined;
    return {
      ...(c.latencyP50Ms === undefined ? {} : { p50Ms: c.latencyP50Ms }),
      ...(c.latencyP99Ms === undefined ? {} : { p99Ms: c.latencyP99Ms }),
    };
  }

  /**
   * What a service's replicas in rotation can serve by their declared sizing (replicas x `capacityRps`, what
   * capacity planning and a load test say): the operator's own numbers, blind to how a sick node serves.
   */
  declaredCapacityRps(service: ServiceId): number {
    const s = this.cluster.service(service);
    if (s === undefined) return 0;
    let n = 0;
    for (const r of s.replicas) if (routable(r)) n++;
    return n * s.spec.capacityRps;
  }

  /**
   * The services a service calls, as declared (the call graph is configuration, like a mesh's routes: the
   * loop may know it); empty for an unknown service or a leaf.
   */
  calls(service: ServiceId): readonly CallSpec[] {
    return this.cluster.service(service)?.spec.calls ?? [];
  }

  /** The services that call a service, in declaration order (the call graph read backwards). */
  callers(service: ServiceId): readonly ServiceId[] {
    const s = this.cluster.service(service);
    return s === undefined ? [] : s.callers.map((e) => e.caller.spec.name);
  }

  /** The fraction of a service's load being shed (the operator's own configuration). */
  shedFraction(service: ServiceId): number {
    return this.cluster.service(service)?.shedFraction ?? 0;
  }
}

/** The level criteria as far as latency objectives go (the scenario's SLO, when it sets one). */
interface ObjectiveCriteria {
  readonly latencyTolerance: number;
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
}

const laggedState = (n: NodeRuntime, now: number, lagMs: number) =>
  now - n.stateSinceMs >= lagMs ? n.state : n.previousState;
