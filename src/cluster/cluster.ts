import { err, ok, type Result } from '../base/result.ts';
import type { SimKernel } from '../sim/kernel.ts';
import type { Trace } from '../sim/trace.ts';
import { HeartbeatNoise, noiseKeys } from './heartbeats/heartbeat-noise.ts';
import { Heartbeats } from './heartbeats/heartbeats.ts';
import type { NodeId, ServiceId } from './ids.ts';
import { Network, type PartitionDirection } from './network.ts';
import type { NodeEffect } from './node-resources.ts';
import { NodeLifecycle } from './nodes/node-lifecycle.ts';
import { initialPlacement } from './placement.ts';
import type { RetryBudget } from './queueing/retry-policy.ts';
import { controlReachable } from './reach.ts';
import { ProcessState } from './replicas/process-state.ts';
import { ReplicaLifecycle } from './replicas/replica-lifecycle.ts';
import { Replication } from './replication/replication.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from './runtime/records.ts';
import type { DownCause } from './runtime/states.ts';
import type { ClusterSpec, ServiceSpec } from './spec.ts';
import { LoadBalancer } from './traffic/load-balancer.ts';
import { type ServiceLevelCriteria, Traffic } from './traffic/traffic.ts';

export { controlReachable, isAlive, routable } from './reach.ts';
export type { ServiceLevelCriteria } from './traffic/traffic.ts';

/** Why a cluster could not be built from its spec. */
export interface ClusterBuildError {
  readonly kind: 'insufficient-capacity';
  readonly service: ServiceId;
  readonly message: string;
}

/** Listeners the world wires in: measures, chaos bookkeeping. Called synchronously, in sim time. */
export interface ClusterListener {
  /** A service's fluid state was recomputed (its rates may or may not have changed). */
  serviceUpdated(service: ServiceRuntime, nowMs: number): void;
  /** A node changed state (crashed, booting, up). */
  nodeStateChanged(node: NodeRuntime, nowMs: number): void;
}

/**
 * The simulated system, composed of its sub-models, each the only writer of its own state: the node life
 * cycle (src/cluster/nodes/), heartbeats (src/cluster/heartbeats/), the replica life cycle
 * (src/cluster/replicas/), the fluid flow and load balancer (src/cluster/traffic/) and replication
 * (src/cluster/replication/). This facade routes the world's calls to them; everyone else reads the
 * runtime records, which are read-only outside their owners.
 */
export class Cluster {
  readonly nodes: readonly NodeRuntime[];
  readonly services: ServiceRuntime[] = [];
  readonly network: Network;
  readonly heartbeats: Heartbeats;
  readonly traffic: Traffic;
  /** Which replicas get traffic: active health checks, or a Service's endpoints (`useMembership`). */
  readonly loadBalancer: LoadBalancer;
  readonly replication: Replication;
  readonly replicas: ReplicaLifecycle;
  /** What runs inside each replica: versions, restarts, terminations, process faults, container memory. */
  readonly processes: ProcessState;
  readonly nodeLifecycle: NodeLifecycle;
  private readonly nodesById = new Map<string, NodeRuntime>();
  private readonly servicesById = new Map<string, ServiceRuntime>();
  private readonly listeners: ClusterListener[] = [];

  private constructor(
    readonly spec: ClusterSpec,
    private readonly kernel: SimKernel,
    trace: Trace,
    readonly criteria: ServiceLevelCriteria,
    noiseDraw: (() => number) | null,
  ) {
    const network = new Network(spec.nodes.count);
    this.network = network;
    const sensors = spec.sensors;
    this.heartbeats = new Heartbeats(
      spec.nodes.count,
      sensors.heartbeatIntervalMs,
      sensors.heartbeatDelayMs,
      kernel,
      network,
      noiseDraw === null
        ? undefined
        : new HeartbeatNoise(
            {
              jitterMs: sensors.heartbeatJitterMs,
              pauseEveryMs: sensors.gcPauseEveryMs,
              pauseMs: sensors.gcPauseMs,
            },
            noiseKeys(spec.nodes.count, noiseDraw),
          ),
    );
    const lb = new LoadBalancer(spec.loadBalancer, kernel, trace, network, (s) => this.traffic.recompute(s));
    this.loadBalancer = lb;
    this.traffic = new Traffic(kernel, network, criteria, lb, {
      refreshRoles: (s) => this.replication.refresh(s),
      accrueWrites: (s, dt) => this.replication.accrueWrites(s, dt),
      serviceUpdated: (s, now) => {
        for (const l of this.listeners) l.serviceUpdated(s, now);
      },
    });
    this.replication = new Replication(kernel, trace, network, this.services, this.traffic);
    this.processes = new ProcessState(kernel, trace, this.traffic, spec.effectors.replicaStartMs);
    this.replicas = new ReplicaLifecycle(kernel, trace, this.traffic, lb, this.replication, this.processes);
    this.nodeLifecycle = new NodeLifecycle(
      spec,
      kernel,
      trace,
      this.heartbeats,
      this.replicas,
      this.traffic,
      (n, now) => {
        for (const l of this.listeners) l.nodeStateChanged(n, now);
      },
    );
    this.nodes = this.nodeLifecycle.nodes;
    for (const n of this.nodes) this.nodesById.set(n.id, n);
  }

  /**
   * Builds a cluster with every node up and every replica placed, running and in rotation at time 0.
   * `heartbeatDraw` (the world's `heartbeats` stream) seeds the heartbeat noise the spec's sensors ask for;
   * without it heartbeats are exactly regular (tests of other sub-models).
   */
  static create(
    spec: ClusterSpec,
    kernel: SimKernel,
    trace: Trace,
    criteria: ServiceLevelCriteria,
    heartbeatDraw: (() => number) | null = null,
  ): Result<Cluster, ClusterBuildError> {
    const placed = initialPlacement(spec);
    if (!placed.ok) {
      const { service: s, replica: k } = placed.error;
      return err({
        kind: 'insufficient-capacity',
        service: s.name,
        message: `cannot place replica ${k + 1} of ${s.replicas} of service "${s.name}": no node has ${s.cpuPerReplica} CPU cores free`,
      });
    }
    const cluster = new Cluster(spec, kernel, trace, criteria, heartbeatDraw);
    let next = 0;
    for (const [index, s] of spec.services.entries()) {
      const service = cluster.newService(index, s);
      for (let k = 0; k < s.replicas; k++) {
        const node = cluster.nodes[placed.value[next++] ?? -1];
        if (node !== undefined) cluster.replicas.place(service, node);
      }
      cluster.replication.elect(service);
    }
    cluster.traffic.connectCalls(cluster.services);
    for (const s of cluster.services) cluster.traffic.recompute(s);
    return ok(cluster);
  }

  private newService(index: number, spec: ServiceSpec): ServiceRuntime {
    const service: ServiceRuntime = {
      index,
      spec,
      replicas: this.replicas.listForService(index),
      nextReplicaNumber: 1,
      offeredRps: 0,
      writeRatio: 0,
      shedFraction: 0,
      originalRps: 0,
      retryRps: 0,
      servedRps: 0,
      goodputRps: 0,
      timeoutRps: 0,
      rejectedRps: 0,
      backlog: 0,
      latencyMs: spec.latencyMs,
      latencyP50Ms: spec.latencyMs,
      latencyP95Ms: spec.latencyMs,
      latencyP99Ms: spec.latencyMs,
      levelOk: true,
      countedAtMs: 0,
      offeredTotal: 0,
      servedTotal: 0,
      latencyTotal: 0,
      goodputTotal: 0,
      timeoutTotal: 0,
      retryTotal: 0,
      rejectedTotal: 0,
      writeRps: 0,
      writeAckRps: 0,
      calls: [],
      callers: [],
      callRps: 0,
      callHoldMs: 0,
      idleCallHoldMs: 0,
      callFailure: 0,
      callDegraded: 0,
      degradedRps: 0,
      degradedTotal: 0,
      primary: null,
      writable: false,
      committed: 0,
      lostWrites: 0,
    };
    this.services.push(service);
    this.servicesById.set(spec.name, service);
    return service;
  }

  /** Registers a listener for service and node changes. */
  listen(listener: ClusterListener): void {
    this.listeners.push(listener);
  }

  node(id: string): NodeRuntime | undefined {
    return this.nodesById.get(id);
  }

  service(id: string): ServiceRuntime | undefined {
    return this.servicesById.get(id);
  }

  /** A live replica by id (removed replicas are forgotten). */
  replica(id: string): Replica | undefined {
    return this.replicas.get(id);
  }

  /** A replica by id, deleted ones included (their records keep their last state). */
  replicaRecord(id: string): Replica | undefined {
    return this.replicas.record(id);
  }

  /** Node ids in index order. */
  get nodeIds(): readonly NodeId[] {
    return this.nodes.map((n) => n.id);
  }

  get nowMs(): number {
    return this.kernel.nowMs;
  }

  // ------------------------------------------------------------ fault verbs (the chaos injector's)

  crashNode(node: NodeRuntime, cause: DownCause): void {
    this.nodeLifecycle.crash(node, cause);
  }

  bootNode(node: NodeRuntime, bootMs: number, onUp: () => void, fails = false): void {
    this.nodeLifecycle.boot(node, bootMs, onUp, fails);
  }

  setEffect(node: NodeRuntime, id: string, effect: NodeEffect): void {
    this.nodeLifecycle.setEffect(node, id, effect);
  }

  removeEffect(node: NodeRuntime, id: string): boolean {
    return this.nodeLifecycle.removeEffect(node, id);
  }

  /**
   * Sets a `dependency-failure` fault on the call edge from one service to another: a share of its attempts
   * fail at once, every attempt takes `latencyMs` longer (0 and 0 clear it). False when no such edge exists.
   */
  setCallFault(from: string, to: string, errorRate: number, latencyMs: number): boolean {
    const edge = this.traffic.callEdge(from, to);
    if (edge === undefined) return false;
    this.traffic.setCallFault(edge, errorRate, latencyMs);
    return true;
  }

  /** Opens (true) or closes the circuit breaker of a caller's calls to a callee. False when no such edge exists. */
  setCircuit(from: string, to: string, open: boolean): boolean {
    const edge = this.traffic.callEdge(from, to);
    if (edge === undefined) return false;
    this.traffic.setCircuit(edge, open);
    return true;
  }

  // ------------------------------------------------------------ network

  /** Cuts the network; `side[e]` gives each endpoint's group (the control plane is index `nodes.length`). */
  partition(id: string, side: Int16Array, direction: PartitionDirection): void {
    this.network.partition(id, side, direction);
    this.afterNetworkChange();
  }

  heal(id: string): void {
    if (this.network.heal(id)) this.afterNetworkChange();
  }

  private afterNetworkChange(): void {
    for (const node of this.nodes) this.heartbeats.refresh(node);
    for (const s of this.services) this.traffic.recompute(s);
  }

  // ------------------------------------------------------------ read by sensors and effects

  /** Brings a service's counters up to now (rates are constant since the last fold). */
  fold(s: ServiceRuntime): void {
    this.traffic.fold(s);
  }

  /** Sets a service's offered load (the workload model calls this at each step). */
  setOffered(service: ServiceRuntime, rps: number, writeRatio: number): void {
    this.traffic.setOffered(service, rps, writeRatio);
  }

  /**
   * Reconfigures a service's clients' retry budget (null restores the scenario's policy): the control a retry
   * budget or circuit-breaker action reaches, as shedding reaches `traffic.setShed`.
   */
  setRetryBudget(service: ServiceRuntime, budget: RetryBudget | null): void {
    this.traffic.setRetryBudget(service, budget);
  }

  /** Whether a replica is alive and the control plane can talk to it (both ways): it can be told things. */
  controlReachable(r: Replica): boolean {
    return controlReachable(this.network, r);
  }

  /** Writes the primary has acknowledged that `r` holds (its replication position). */
  logPosition(r: Replica): number {
    return this.replication.logPosition(r);
  }

  /** Total time so far with two primaries accepting writes. */
  splitBrainMs(nowMs: number): number {
    return this.replication.splitBrainMs(nowMs);
  }

  /** Whether two primaries of one service accept writes right now. */
  get splitBrainNow(): boolean {
    return this.replication.splitBrainNow;
  }
}
