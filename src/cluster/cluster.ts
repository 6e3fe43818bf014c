import { err, ok, type Result } from '../base/result.ts';
import type { SimKernel } from '../sim/kernel.ts';
import type { Trace } from '../sim/trace.ts';
import { type NodeId, nodeIdOf, type ReplicaId, replicaIdOf, type ServiceId } from './ids.ts';
import { Network, type PartitionDirection } from './network.ts';
import { isOutOfMemory, type NodeEffect, nodeCondition } from './node-resources.ts';
import { chooseNode } from './placement.ts';
import { latencyMultiplier } from './queueing.ts';
import type { DownCause, NodeRuntime, Replica, ServiceRuntime } from './runtime.ts';
import type { ClusterSpec, ServiceSpec } from './spec.ts';

/** Why a cluster could not be built from its spec. */
export interface ClusterBuildError {
  readonly kind: 'insufficient-capacity';
  readonly service: ServiceId;
  readonly message: string;
}

/** Tolerances that decide whether a service is at its healthy level (ground truth). */
export interface ServiceLevelCriteria {
  /** Fraction of the healthy cluster's throughput that may be missing while still at level. */
  readonly throughputTolerance: number;
  /** Latency may be this many times the healthy cluster's latency at the same load. */
  readonly latencyTolerance: number;
}

/** Listeners the world wires in: measures, chaos bookkeeping. Called synchronously, in sim time. */
export interface ClusterListener {
  /** A service's fluid state was recomputed (its rates may or may not have changed). */
  serviceUpdated(service: ServiceRuntime, nowMs: number): void;
  /** A node changed state (crashed, booting, up). */
  nodeStateChanged(node: NodeRuntime, nowMs: number): void;
}

/** Whether a replica runs on a machine that is up. */
export const isAlive = (r: Replica): boolean => r.state === 'running' && r.node.state === 'up';

/** Whether the load balancer sends the replica traffic: it believes it healthy and nobody took it out. */
export const routable = (r: Replica): boolean =>
  r.lbHealthy && !r.node.drained && !r.evicted && r.state !== 'removed';

/**
 * The simulated system: nodes, network, services and their replicas, the load balancer and the workload's
 * fluid flow through them. Every mutation recomputes the affected services at once, so rates are piecewise
 * constant between events and every counter integrates exactly.
 */
export class Cluster {
  readonly nodes: NodeRuntime[] = [];
  readonly services: ServiceRuntime[] = [];
  readonly network: Network;
  private readonly nodesById = new Map<string, NodeRuntime>();
  private readonly servicesById = new Map<string, ServiceRuntime>();
  private readonly replicasById = new Map<string, Replica>();
  private readonly listeners: ClusterListener[] = [];
  private splitBrainSinceMs: number | null = null;
  private splitBrainTotalMs = 0;

  private constructor(
    readonly spec: ClusterSpec,
    private readonly kernel: SimKernel,
    private readonly trace: Trace,
    readonly criteria: ServiceLevelCriteria,
  ) {
    this.network = new Network(spec.nodes.count);
  }

  /** Builds a cluster with every node up and every replica placed, running and in rotation at time 0. */
  static create(
    spec: ClusterSpec,
    kernel: SimKernel,
    trace: Trace,
    criteria: ServiceLevelCriteria,
  ): Result<Cluster, ClusterBuildError> {
    const cluster = new Cluster(spec, kernel, trace, criteria);
    const hbInterval = spec.sensors.heartbeatIntervalMs;
    for (let i = 0; i < spec.nodes.count; i++) {
      const node: NodeRuntime = {
        index: i,
        id: nodeIdOf(i + 1),
        state: 'up',
        stateSinceMs: 0,
        previousState: 'up',
        downCause: null,
        cordoned: false,
        drained: false,
        effects: new Map(),
        limits: { memoryFactor: 1, diskFactor: 1 },
        condition: nodeCondition(
          spec.nodes.baseMemoryUse,
          spec.nodes.baseDiskUse,
          [],
          { memoryFactor: 1, diskFactor: 1 },
          0,
        ),
        conditionAtMs: 0,
        bandTimer: null,
        bootTimer: null,
        replicas: [],
        heartbeatSinceMs: 0,
        heartbeatDelayMs: spec.sensors.heartbeatDelayMs,
        lastHeartbeatBeforeMs: Number.NEGATIVE_INFINITY,
        lastHeartbeatSentBeforeMs: Number.NEGATIVE_INFINITY,
        // Spread heartbeats over the interval without drawing randomness: a fixed stride coprime-ish to it.
        heartbeatPhaseMs: (i * 7_919) % hbInterval,
      };
      cluster.nodes.push(node);
      cluster.nodesById.set(node.id, node);
    }
    for (const [index, s] of spec.services.entries()) {
      const service: ServiceRuntime = {
        index,
        spec: s,
        replicas: [],
        nextReplicaNumber: 1,
        offeredRps: 0,
        writeRatio: 0,
        shedFraction: 0,
        servedRps: 0,
        latencyMs: s.latencyMs,
        levelOk: true,
        countedAtMs: 0,
        offeredTotal: 0,
        servedTotal: 0,
        latencyTotal: 0,
        primary: null,
        writable: false,
        writeRps: 0,
        committed: 0,
        lostWrites: 0,
        scrape: null,
        scrapeBase: null,
      };
      cluster.services.push(service);
      cluster.servicesById.set(s.name, service);
      for (let k = 0; k < s.replicas; k++) {
        const node = chooseNode(cluster.nodes, spec, s);
        if (node === undefined) {
          return err({
            kind: 'insufficient-capacity',
            service: s.name,
            message: `cannot place replica ${k + 1} of ${s.replicas} of service "${s.name}": no node has ${s.cpuPerReplica} CPU cores free`,
          });
        }
        const r = cluster.newReplica(service, node, 'running');
        r.lbHealthy = true;
        r.probeOk = true;
      }
      if (s.stateful !== undefined) {
        const first = service.replicas[0];
        if (first !== undefined) {
          first.role = 'primary';
          service.primary = first;
        }
      }
    }
    for (const s of cluster.services) cluster.recompute(s);
    return ok(cluster);
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
    return this.replicasById.get(id);
  }

  get nowMs(): number {
    return this.kernel.nowMs;
  }

  // ---------------------------------------------------------------- nodes

  /** Takes a node down at once: its replicas stop, its heartbeats stop. A node already down stays down. */
  crashNode(node: NodeRuntime, cause: DownCause): void {
    if (node.state === 'crashed') return;
    if (node.bootTimer !== null) this.kernel.cancel(node.bootTimer);
    node.bootTimer = null;
    node.downCause = cause;
    this.setNodeState(node, 'crashed');
  }

  /**
   * Starts booting a node (a power cycle). After `bootMs` it is up and `onUp` runs, or, when `fails`,
   * it is down again (a boot that hangs).
   */
  bootNode(node: NodeRuntime, bootMs: number, onUp: () => void, fails = false): void {
    if (node.state !== 'crashed') node.downCause = 'restart';
    if (node.bootTimer !== null) this.kernel.cancel(node.bootTimer);
    this.setNodeState(node, 'booting');
    node.bootTimer = this.kernel.after(bootMs, () => {
      node.bootTimer = null;
      if (node.state !== 'booting') return;
      if (fails) {
        node.downCause = 'restart';
        this.setNodeState(node, 'crashed');
        return;
      }
      node.downCause = null;
      this.setNodeState(node, 'up');
      onUp();
    });
  }

  /** Applies or replaces a resource effect on a node. */
  setEffect(node: NodeRuntime, id: string, effect: NodeEffect): void {
    node.effects.set(id, effect);
    this.refreshCondition(node);
  }

  /** Removes a resource effect; returns whether it was present. */
  removeEffect(node: NodeRuntime, id: string): boolean {
    const had = node.effects.delete(id);
    if (had) this.refreshCondition(node);
    return had;
  }

  /** Grows a node's memory or disk by the configured factor (a resized VM or volume). */
  raiseLimit(node: NodeRuntime, resource: 'memory' | 'disk'): void {
    const f = this.spec.effectors.limitRaiseFactor;
    node.limits =
      resource === 'memory'
        ? { ...node.limits, memoryFactor: node.limits.memoryFactor * f }
        : { ...node.limits, diskFactor: node.limits.diskFactor * f };
    this.refreshCondition(node);
  }

  setCordoned(node: NodeRuntime, cordoned: boolean): void {
    node.cordoned = cordoned;
    this.trace.record({
      t: this.nowMs,
      kind: cordoned ? 'node.cordoned' : 'node.uncordoned',
      source: node.id,
    });
  }

  /** Takes a node's replicas out of the load balancer's rotation at once, or puts them back. */
  setDrained(node: NodeRuntime, drained: boolean): void {
    node.drained = drained;
    this.trace.record({ t: this.nowMs, kind: drained ? 'node.drained' : 'node.undrained', source: node.id });
    this.touchNode(node);
  }

  // ---------------------------------------------------------------- network

  /** Cuts the network; `side[e]` gives each endpoint's group (the control plane is index `nodes.length`). */
  partition(id: string, side: Int16Array, direction: PartitionDirection): void {
    this.network.partition(id, side, direction);
    this.afterNetworkChange();
  }

  heal(id: string): void {
    if (this.network.heal(id)) this.afterNetworkChange();
  }

  // ---------------------------------------------------------------- services

  /** Sets a service's offered load (the workload model calls this at each step). */
  setOffered(service: ServiceRuntime, rps: number, writeRatio: number): void {
    // Fold at the old rates first: the counters up to now were offered at the old load.
    this.fold(service);
    service.offeredRps = rps;
    service.writeRatio = service.spec.stateful === undefined ? 0 : writeRatio;
    this.recompute(service);
  }

  /** Rejects a fraction of a service's offered load at the door. */
  setShed(service: ServiceRuntime, fraction: number): void {
    service.shedFraction = Math.min(Math.max(fraction, 0), 1);
    this.recompute(service);
  }

  /** Stops a replica and starts it again after `startMs`. */
  restartReplica(r: Replica, startMs: number): void {
    if (r.state === 'removed') return;
    this.setReplicaState(r, 'stopped');
    if (r.node.state === 'up') this.startReplica(r, startMs);
  }

  /** Takes one replica out of the load balancer's rotation (being replaced), or puts it back. */
  setEvicted(r: Replica, evicted: boolean): void {
    if (r.evicted === evicted || r.state === 'removed') return;
    r.evicted = evicted;
    this.recompute(r.service);
  }

  /** Stops a replica until something starts it again (a crash-looping container). */
  stopReplica(r: Replica): void {
    if (r.state !== 'removed') this.setReplicaState(r, 'stopped');
  }

  /** Creates a replica on `node`, starting; undefined if the node is not up. */
  addReplica(service: ServiceRuntime, node: NodeRuntime, startMs: number): Replica | undefined {
    if (node.state !== 'up') return undefined;
    const r = this.newReplica(service, node, 'stopped');
    if (service.spec.stateful !== undefined) {
      r.role = 'replica';
      r.logPosition = 0;
    }
    this.trace.record({ t: this.nowMs, kind: 'replica.added', source: r.id, node: node.id });
    this.startReplica(r, startMs);
    return r;
  }

  /** Deletes a replica for good (a rescheduled pod's old instance). */
  removeReplica(r: Replica): void {
    if (r.state === 'removed') return;
    const s = r.service;
    this.fold(s);
    this.setReplicaState(r, 'removed');
    if (r.lbFlipTimer !== null) this.kernel.cancel(r.lbFlipTimer);
    if (r.leaseTimer !== null) this.kernel.cancel(r.leaseTimer);
    r.lbFlipTimer = null;
    r.leaseTimer = null;
    removeFrom(s.replicas, r);
    this.replicasById.delete(r.id);
    removeFrom(r.node.replicas, r);
    if (s.primary === r) s.primary = null;
    this.recompute(s);
  }

  /**
   * Makes `target` the primary of its stateful service. Writes the old primary acknowledged that `target`
   * had not yet applied are lost, and counted. An old primary the control plane can reach is demoted now;
   * one it cannot reach keeps believing it is primary until it is reachable again or its lease runs out.
   */
  promote(target: Replica): number {
    const s = target.service;
    this.fold(s);
    const old = s.primary;
    // A switchover paused the old primary's writes for longer than the replication lag: a replica that
    // streamed from it all along has applied everything it acknowledged.
    if (old !== null && old !== target && old.writesPaused && target.streaming)
      target.logPosition = s.committed;
    const position = this.logPosition(target);
    const lost = Math.max(0, s.committed - position);
    s.lostWrites += lost;
    s.committed = Math.min(s.committed, position);
    target.role = 'primary';
    target.fenced = false;
    s.primary = target;
    if (old !== null && old !== target) {
      if (this.controlReachable(old)) this.demote(old);
      // else: deposed, still primary in its own eyes; demoted when it can be told (see refreshRoles).
    }
    for (const r of s.replicas)
      if (r !== target && r.role === 'replica') r.logPosition = Math.min(r.logPosition, s.committed);
    this.trace.record({
      t: this.nowMs,
      kind: 'service.promoted',
      source: s.spec.name,
      replica: target.id,
      lostWrites: lost,
    });
    this.recompute(s);
    return lost;
  }

  /**
   * Stops (or resumes) a primary's writes for a planned switchover: clients see write errors while it lasts,
   * and the replicas catch up with its log.
   */
  pauseWrites(primary: Replica, paused: boolean): void {
    if (primary.writesPaused === paused || primary.state === 'removed') return;
    primary.writesPaused = paused;
    this.trace.record({
      t: this.nowMs,
      kind: paused ? 'writes.paused' : 'writes.resumed',
      source: primary.id,
    });
    this.recompute(primary.service);
  }

  /** Writes the primary has acknowledged that `r` holds (its replication position). */
  logPosition(r: Replica): number {
    const s = r.service;
    if (r === s.primary) return s.committed;
    if (!r.streaming) return r.logPosition;
    const lagWrites =
      s.spec.stateful?.replication === 'async'
        ? (s.writeRps * (s.spec.stateful?.asyncLagMs ?? 0)) / 1_000
        : 0;
    return Math.max(r.logPosition, s.committed - lagWrites);
  }

  /** Total time so far with two primaries accepting writes. */
  splitBrainMs(nowMs: number): number {
    return this.splitBrainTotalMs + (this.splitBrainSinceMs === null ? 0 : nowMs - this.splitBrainSinceMs);
  }

  /** Whether two primaries of one service accept writes right now. */
  get splitBrainNow(): boolean {
    return this.splitBrainSinceMs !== null;
  }

  /** Brings a service's counters up to now (rates are constant since the last fold). */
  fold(s: ServiceRuntime): void {
    const now = this.kernel.nowMs;
    const dt = (now - s.countedAtMs) / 1_000;
    if (dt > 0) {
      s.offeredTotal += s.offeredRps * dt;
      s.servedTotal += s.servedRps * dt;
      s.latencyTotal += s.servedRps * s.latencyMs * dt;
      s.committed += s.writable ? s.writeRps * dt : 0;
      for (const r of s.replicas) foldReplica(r, now);
    }
    s.countedAtMs = now;
  }

  // ---------------------------------------------------------------- internals

  private newReplica(service: ServiceRuntime, node: NodeRuntime, state: 'running' | 'stopped'): Replica {
    const n = service.nextReplicaNumber++;
    const id: ReplicaId = replicaIdOf(service.spec.name as ServiceId, n);
    const r: Replica = {
      id,
      service,
      node,
      state,
      startTimer: null,
      lbHealthy: false,
      lbFlipTimer: null,
      lbPhaseMs: ((service.index * 104_729 + n * 7_919) % this.spec.loadBalancer.healthCheckIntervalMs) + 1,
      probeOk: false,
      role: service.spec.stateful === undefined ? 'none' : 'replica',
      evicted: false,
      fenced: false,
      writesPaused: false,
      leaseTimer: null,
      leaseExpiresAtMs: Number.POSITIVE_INFINITY,
      servedRps: 0,
      failedRps: 0,
      latencyMs: 0,
      utilisation: 0,
      countedAtMs: this.kernel.nowMs,
      servedTotal: 0,
      failedTotal: 0,
      latencyTotal: 0,
      logPosition: service.committed,
      streaming: false,
      scrape: null,
      baseAtMs: this.kernel.nowMs,
      baseServed: 0,
      baseFailed: 0,
      baseLatency: 0,
    };
    service.replicas.push(r);
    this.replicasById.set(r.id, r);
    node.replicas.push(r);
    return r;
  }

  private startReplica(r: Replica, startMs: number): void {
    this.setReplicaState(r, 'starting');
    r.startTimer = this.kernel.after(startMs, () => {
      r.startTimer = null;
      if (r.state === 'starting' && r.node.state === 'up') this.setReplicaState(r, 'running');
    });
  }

  private setReplicaState(r: Replica, state: Replica['state']): void {
    if (r.state === state) return;
    this.fold(r.service);
    if (r.startTimer !== null && state !== 'starting') {
      this.kernel.cancel(r.startTimer);
      r.startTimer = null;
    }
    r.state = state;
    this.trace.record({ t: this.nowMs, kind: `replica.${state}`, source: r.id });
    this.recompute(r.service);
  }

  private setNodeState(node: NodeRuntime, state: NodeRuntime['state']): void {
    if (node.state === state) return;
    const now = this.kernel.nowMs;
    for (const r of node.replicas) this.fold(r.service);
    node.previousState = node.state;
    node.state = state;
    node.stateSinceMs = now;
    this.trace.record({ t: now, kind: `node.${state}`, source: node.id, cause: node.downCause });
    if (state === 'up') {
      for (const r of node.replicas)
        if (r.state === 'stopped') this.startReplica(r, this.spec.effectors.replicaStartMs);
    } else {
      for (const r of node.replicas) {
        if (r.state === 'starting' || r.state === 'running') this.setReplicaState(r, 'stopped');
      }
    }
    this.refreshHeartbeat(node);
    for (const l of this.listeners) l.nodeStateChanged(node, now);
    // Listeners may clear effects a reboot wipes (the chaos injector does), so the condition comes last.
    this.refreshCondition(node);
  }

  private refreshCondition(node: NodeRuntime): void {
    const now = this.kernel.nowMs;
    for (const r of node.replicas) this.fold(r.service);
    node.condition = nodeCondition(
      this.spec.nodes.baseMemoryUse,
      this.spec.nodes.baseDiskUse,
      node.effects.values(),
      node.limits,
      now,
    );
    node.conditionAtMs = now;
    if (node.bandTimer !== null) this.kernel.cancel(node.bandTimer);
    node.bandTimer = null;
    if (node.state === 'up' && isOutOfMemory(node.condition.memoryUse)) {
      this.trace.record({ t: now, kind: 'node.oom', source: node.id });
      this.crashNode(node, 'oom');
      return;
    }
    if (node.state === 'up' && Number.isFinite(node.condition.nextBandAtMs)) {
      node.bandTimer = this.kernel.at(node.condition.nextBandAtMs, () => {
        node.bandTimer = null;
        this.refreshCondition(node);
      });
    }
    // A starved node sends its heartbeats late: the CPU hog and slow-downs stretch their delay.
    const delay = Math.round(
      this.spec.sensors.heartbeatDelayMs * (1 + 10 * node.condition.cpuHog) * node.condition.latencyFactor,
    );
    if (delay !== node.heartbeatDelayMs) {
      this.stopHeartbeats(node);
      node.heartbeatDelayMs = delay;
      this.refreshHeartbeat(node);
    }
    this.touchNode(node);
  }

  private afterNetworkChange(): void {
    for (const node of this.nodes) this.refreshHeartbeat(node);
    for (const s of this.services) this.recompute(s);
  }

  private touchNode(node: NodeRuntime): void {
    let last: ServiceRuntime | null = null;
    for (const r of node.replicas) {
      if (r.service !== last) this.recompute(r.service);
      last = r.service;
    }
  }

  // ---------------------------------------------------------------- heartbeats

  /** Send time of the last heartbeat of the current flow received by `nowMs`; null if none has arrived yet. */
  private flowingSentMs(node: NodeRuntime, nowMs: number): number | null {
    const since = node.heartbeatSinceMs;
    if (since === null) return null;
    const interval = this.spec.sensors.heartbeatIntervalMs;
    const k = Math.floor((nowMs - node.heartbeatDelayMs - node.heartbeatPhaseMs) / interval);
    const sent = node.heartbeatPhaseMs + k * interval;
    return sent >= since ? sent : null;
  }

  /** Arrival time at the control plane of the last heartbeat received by `nowMs`. */
  lastHeartbeatMs(node: NodeRuntime, nowMs: number): number {
    const sent = this.flowingSentMs(node, nowMs);
    return sent === null ? node.lastHeartbeatBeforeMs : sent + node.heartbeatDelayMs;
  }

  /**
   * Send time of the last heartbeat received by `nowMs` (heartbeats carry the time they were sent, as lease
   * renewals and gossip messages do).
   */
  lastHeartbeatSentMs(node: NodeRuntime, nowMs: number): number {
    return this.flowingSentMs(node, nowMs) ?? node.lastHeartbeatSentBeforeMs;
  }

  /** Arrival times of heartbeats received in (fromMs, nowMs], oldest first, at most `max` of the newest. */
  heartbeatArrivals(node: NodeRuntime, fromMs: number, nowMs: number, max: number): number[] {
    const out: number[] = [];
    const interval = this.spec.sensors.heartbeatIntervalMs;
    let t = this.lastHeartbeatMs(node, nowMs);
    const since = node.heartbeatSinceMs;
    while (t > fromMs && out.length < max && since !== null && t - node.heartbeatDelayMs >= since) {
      out.push(t);
      t -= interval;
    }
    if (
      out.length < max &&
      node.lastHeartbeatBeforeMs > fromMs &&
      !out.includes(node.lastHeartbeatBeforeMs)
    ) {
      out.push(node.lastHeartbeatBeforeMs);
    }
    return out.reverse();
  }

  private stopHeartbeats(node: NodeRuntime): void {
    if (node.heartbeatSinceMs === null) return;
    const now = this.kernel.nowMs;
    node.lastHeartbeatSentBeforeMs = this.lastHeartbeatSentMs(node, now);
    node.lastHeartbeatBeforeMs = this.lastHeartbeatMs(node, now);
    node.heartbeatSinceMs = null;
  }

  private refreshHeartbeat(node: NodeRuntime): void {
    const flowing = node.state === 'up' && this.network.nodeToControl[node.index] === 1;
    if (!flowing) this.stopHeartbeats(node);
    else if (node.heartbeatSinceMs === null) node.heartbeatSinceMs = this.kernel.nowMs;
  }

  /** Whether a replica is alive and the control plane can talk to it (both ways): it can be told things. */
  controlReachable(r: Replica): boolean {
    return isAlive(r) && this.network.controlLinked(r.node.index);
  }

  // ---------------------------------------------------------------- the fluid flow

  /**
   * Recomputes one service: replication roles, where the load balancer sends traffic, what each replica
   * serves and how fast, and whether the service is at its healthy level. Called after every change.
   */
  recompute(s: ServiceRuntime): void {
    const now = this.kernel.nowMs;
    this.fold(s);
    if (s.spec.stateful !== undefined) this.refreshReplication(s);
    const admitted = s.offeredRps * (1 - s.shedFraction);
    const writes = admitted * s.writeRatio;
    const reads = admitted - writes;
    let inRotation = 0;
    for (const r of s.replicas) if (routable(r)) inRotation++;
    const share = inRotation > 0 ? reads / inRotation : 0;
    const capacity = s.spec.capacityRps;
    let served = 0;
    let latencyWeighted = 0;
    for (const r of s.replicas) {
      const routed = routable(r) ? share : 0;
      const c = this.controlReachable(r) ? capacity * r.node.condition.capacityFactor : 0;
      const ok = Math.min(routed, c);
      r.utilisation = c > 0 ? ok / c : 0;
      r.latencyMs =
        c > 0 ? s.spec.latencyMs * r.node.condition.latencyFactor * latencyMultiplier(r.utilisation) : 0;
      r.servedRps = ok;
      r.failedRps = routed - ok;
      served += ok;
      latencyWeighted += ok * r.latencyMs;
    }
    s.writeRps = writes;
    const primary = s.primary;
    if (writes > 0 && primary !== null) {
      if (s.writable) {
        primary.servedRps += writes;
        served += writes;
        latencyWeighted += writes * primary.latencyMs;
      } else {
        primary.failedRps += writes;
      }
    }
    s.servedRps = served;
    s.latencyMs = served > 0 ? latencyWeighted / served : 0;
    s.levelOk = this.atHealthyLevel(s);
    this.refreshProbes(s);
    for (const l of this.listeners) l.serviceUpdated(s, now);
  }

  /** The throughput and latency a fully healthy cluster would give this load, and whether we are there. */
  private atHealthyLevel(s: ServiceRuntime): boolean {
    const nominalCapacity = s.spec.replicas * s.spec.capacityRps;
    const offered = s.offeredRps;
    if (offered <= 0) return true;
    // Against the load as offered, before any shedding: shed requests are requests a user did not get.
    const writes = offered * s.writeRatio;
    const reads = offered - writes;
    const nominalServed = Math.min(reads, nominalCapacity) + writes;
    if (s.servedRps < nominalServed * (1 - this.criteria.throughputTolerance) - 1e-9) return false;
    const nominalLatency = s.spec.latencyMs * latencyMultiplier(reads / nominalCapacity);
    return s.latencyMs <= nominalLatency * this.criteria.latencyTolerance + 1e-9;
  }

  /** Starts or cancels the load balancer's lagging flip for every replica whose real health changed. */
  private refreshProbes(s: ServiceRuntime): void {
    const lb = this.spec.loadBalancer;
    const now = this.kernel.nowMs;
    for (const r of s.replicas) {
      if (r.state === 'removed') continue;
      const probeOk = this.controlReachable(r);
      if (probeOk === r.probeOk) continue;
      r.probeOk = probeOk;
      if (r.lbFlipTimer !== null) {
        this.kernel.cancel(r.lbFlipTimer);
        r.lbFlipTimer = null;
      }
      if (probeOk === r.lbHealthy) continue;
      // The first check after the change sees it; the flip needs `threshold` consecutive such checks.
      const interval = lb.healthCheckIntervalMs;
      const firstCheck = r.lbPhaseMs + Math.floor((now - r.lbPhaseMs) / interval + 1) * interval;
      const threshold = probeOk ? lb.healthyThreshold : lb.unhealthyThreshold;
      r.lbFlipTimer = this.kernel.at(firstCheck + (threshold - 1) * interval, () => {
        r.lbFlipTimer = null;
        r.lbHealthy = r.probeOk;
        this.trace.record({ t: this.kernel.nowMs, kind: r.lbHealthy ? 'lb.in' : 'lb.out', source: r.id });
        this.recompute(s);
      });
    }
  }

  /** Streaming, leases, deposed primaries and whether writes are accepted, for a stateful service. */
  private refreshReplication(s: ServiceRuntime): void {
    const spec = s.spec.stateful;
    if (spec === undefined) return;
    const primary = s.primary;
    const primaryAlive = primary !== null && isAlive(primary);
    let anyStreaming = false;
    for (const r of s.replicas) {
      if (r.role === 'primary' && r !== primary) {
        // A deposed primary: demote it as soon as the control plane can tell it.
        if (this.controlReachable(r)) this.demote(r);
        else this.refreshLease(r, spec.leaseMs);
        continue;
      }
      if (r === primary) {
        this.refreshLease(r, spec.leaseMs);
        continue;
      }
      const streaming =
        primaryAlive &&
        primary !== null &&
        isAlive(r) &&
        this.network.connected(primary.node.index, r.node.index);
      if (streaming !== r.streaming) {
        if (!streaming) r.logPosition = this.logPosition(r);
        r.streaming = streaming;
      }
      if (streaming) anyStreaming = true;
    }
    s.writable =
      primary !== null &&
      primaryAlive &&
      !primary.fenced &&
      !primary.writesPaused &&
      this.network.controlLinked(primary.node.index) &&
      (spec.replication === 'async' || anyStreaming);
    this.refreshSplitBrain();
  }

  private demote(r: Replica): void {
    r.role = 'replica';
    r.fenced = false;
    r.writesPaused = false;
    r.streaming = false;
    r.logPosition = r.service.committed;
    if (r.leaseTimer !== null) this.kernel.cancel(r.leaseTimer);
    r.leaseTimer = null;
    r.leaseExpiresAtMs = Number.POSITIVE_INFINITY;
    this.trace.record({ t: this.nowMs, kind: 'replica.demoted', source: r.id });
  }

  /** A primary keeps its lease while it reaches the control plane; once cut off, it fences itself after `leaseMs`. */
  private refreshLease(r: Replica, leaseMs: number): void {
    const linked = this.controlReachable(r);
    if (linked) {
      if (r.leaseTimer !== null) this.kernel.cancel(r.leaseTimer);
      r.leaseTimer = null;
      r.leaseExpiresAtMs = Number.POSITIVE_INFINITY;
      r.fenced = false;
      return;
    }
    if (r.fenced || r.leaseTimer !== null || r.service.spec.stateful?.fencing === 'none') return;
    r.leaseExpiresAtMs = this.kernel.nowMs + leaseMs;
    r.leaseTimer = this.kernel.after(leaseMs, () => {
      r.leaseTimer = null;
      r.fenced = true;
      this.trace.record({ t: this.kernel.nowMs, kind: 'replica.fenced', source: r.id });
      this.recompute(r.service);
    });
  }

  private refreshSplitBrain(): void {
    let split = false;
    for (const s of this.services) {
      if (s.spec.stateful === undefined) continue;
      let accepting = 0;
      for (const r of s.replicas) if (r.role === 'primary' && isAlive(r) && !r.fenced) accepting++;
      if (accepting > 1) split = true;
    }
    const now = this.kernel.nowMs;
    if (split && this.splitBrainSinceMs === null) {
      this.splitBrainSinceMs = now;
      this.trace.record({ t: now, kind: 'cluster.split-brain', source: 'cluster' });
    } else if (!split && this.splitBrainSinceMs !== null) {
      this.splitBrainTotalMs += now - this.splitBrainSinceMs;
      this.splitBrainSinceMs = null;
    }
  }

  /** A service's spec by name, for callers that hold only the id. */
  serviceSpec(id: ServiceId): ServiceSpec | undefined {
    return this.servicesById.get(id)?.spec;
  }

  /** Node ids in index order. */
  get nodeIds(): readonly NodeId[] {
    return this.nodes.map((n) => n.id);
  }
}

const foldReplica = (r: Replica, now: number): void => {
  const dt = (now - r.countedAtMs) / 1_000;
  if (dt > 0) {
    r.servedTotal += r.servedRps * dt;
    r.failedTotal += r.failedRps * dt;
    r.latencyTotal += r.servedRps * r.latencyMs * dt;
  }
  r.countedAtMs = now;
};

const removeFrom = <T>(list: T[], item: T): void => {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
};
