import type { SimKernel } from '../../sim/kernel.ts';
import type { Trace } from '../../sim/trace.ts';
import { type ReplicaId, replicaIdOf, type ServiceId } from '../ids.ts';
import type { Replication } from '../replication/replication.ts';
import type { Owned, ReplicaLifecycleField, ServiceReplicasField } from '../runtime/ownership.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from '../runtime/records.ts';
import type { LoadBalancer } from '../traffic/load-balancer.ts';
import type { Traffic } from '../traffic/traffic.ts';
import { type ProcessState, startMemoryMbOf } from './process-state.ts';

type LReplica = Owned<Replica, ReplicaLifecycleField>;
type LService = Owned<ServiceRuntime, ServiceReplicasField>;

/**
 * Replicas being created, started, stopped and deleted. Owns each replica's state and start timer, the
 * replica lists of services and nodes, and the index of live replicas by id.
 */
export class ReplicaLifecycle {
  private readonly byService: Replica[][] = [];
  private readonly byNode: Replica[][] = [];
  private readonly byId = new Map<string, Replica>();
  /** Deleted replicas, for an action that must still read the last state of one it planned around. */
  private readonly removedById = new Map<string, Replica>();
  private nextSlot = 0;

  constructor(
    private readonly kernel: SimKernel,
    private readonly trace: Trace,
    private readonly traffic: Traffic,
    private readonly loadBalancer: LoadBalancer,
    private readonly replication: Replication,
    private readonly processes: ProcessState,
  ) {
    processes.stopContainer = (r) => this.stop(r);
    processes.restartContainer = (r, startMs) => this.restart(r, startMs);
  }

  /** The list a new service record holds its replicas in (this module alone adds to it). */
  listForService(index: number): readonly Replica[] {
    const list: Replica[] = [];
    this.byService[index] = list;
    return list;
  }

  /** The list a new node record holds its replicas in (this module alone adds to it). */
  listForNode(index: number): readonly Replica[] {
    const list: Replica[] = [];
    this.byNode[index] = list;
    return list;
  }

  /** A live replica by id (removed replicas are forgotten). */
  get(id: string): Replica | undefined {
    return this.byId.get(id);
  }

  /** A replica by id, deleted ones included. */
  record(id: string): Replica | undefined {
    return this.byId.get(id) ?? this.removedById.get(id);
  }

  /** The number of replicas ever created (slots are never reused). */
  get slotCount(): number {
    return this.nextSlot;
  }

  /** Places a replica that is running and in rotation from time 0 (building the cluster). */
  place(service: ServiceRuntime, node: NodeRuntime): Replica {
    return this.create(service, node, 'running', true);
  }

  /** Creates a replica on `node`, starting; undefined if the node is not up. */
  add(service: ServiceRuntime, node: NodeRuntime, startMs: number): Replica | undefined {
    if (node.state !== 'up') return undefined;
    const r = this.create(service, node, 'stopped', false);
    this.replication.joined(r);
    this.trace.record({ t: this.kernel.nowMs, kind: 'replica.added', source: r.id, node: node.id });
    this.start(r, startMs);
    return r;
  }

  /** Stops a replica and starts it again after `startMs`. */
  restart(r: Replica, startMs: number): void {
    if (r.state === 'removed') return;
    this.setState(r, 'stopped');
    if (r.node.state === 'up') this.start(r, startMs);
  }

  /** Stops a replica until something starts it again (a crash-looping container). */
  stop(r: Replica): void {
    if (r.state !== 'removed') this.setState(r, 'stopped');
  }

  /** Takes one replica out of the load balancer's rotation (being replaced), or puts it back. */
  setEvicted(replica: Replica, evicted: boolean): void {
    const r: LReplica = replica;
    if (r.evicted === evicted || r.state === 'removed') return;
    r.evicted = evicted;
    this.traffic.recompute(r.service);
  }

  /** Deletes a replica for good (a rescheduled pod's old instance). */
  remove(r: Replica): void {
    if (r.state === 'removed') return;
    const s = r.service;
    this.traffic.fold(s);
    this.setState(r, 'removed');
    this.loadBalancer.forget(r);
    this.replication.forget(r);
    removeFrom(this.byService[s.index], r);
    this.byId.delete(r.id);
    this.removedById.set(r.id, r);
    removeFrom(this.byNode[r.node.index], r);
    this.traffic.recompute(s);
  }

  /** A node came up: its stopped replicas start again. */
  nodeUp(node: NodeRuntime, startMs: number): void {
    for (const r of node.replicas) if (r.state === 'stopped') this.start(r, startMs);
  }

  /** A node went down: its replicas stop with it. */
  nodeDown(node: NodeRuntime): void {
    for (const r of node.replicas) {
      if (r.state === 'starting' || r.state === 'running') this.setState(r, 'stopped');
    }
  }

  private create(
    service: ServiceRuntime,
    node: NodeRuntime,
    state: 'running' | 'stopped',
    inRotation: boolean,
  ): Replica {
    const s: LService = service;
    const n = s.nextReplicaNumber++;
    const id: ReplicaId = replicaIdOf(service.spec.name as ServiceId, n);
    const now = this.kernel.nowMs;
    const r: Replica = {
      id,
      slot: this.nextSlot++,
      service,
      node,
      state,
      startTimer: null,
      evicted: false,
      lbHealthy: inRotation,
      lbFlipTimer: null,
      lbPhaseMs: this.loadBalancer.phaseMs(service.index, n),
      probeOk: inRotation,
      role: service.spec.stateful === undefined ? 'none' : 'replica',
      fenced: false,
      writesPaused: false,
      leaseTimer: null,
      leaseExpiresAtMs: Number.POSITIVE_INFINITY,
      logPosition: service.committed,
      streaming: false,
      catchUpSinceMs: -1,
      catchUpTimer: null,
      servedRps: 0,
      failedRps: 0,
      latencyMs: 0,
      latencyP99Ms: 0,
      backlog: 0,
      timeoutRps: 0,
      utilisation: 0,
      countedAtMs: now,
      servedTotal: 0,
      failedTotal: 0,
      latencyTotal: 0,
      scrape: null,
      baseAtMs: now,
      baseServed: 0,
      baseFailed: 0,
      baseLatency: 0,
      version: this.processes.stableVersion(service),
      previousVersion: this.processes.stableVersion(service),
      restarts: 0,
      lastTermination: null,
      lastTerminationAtMs: -1,
      hung: false,
      processLatencyFactor: 1,
      processErrorRate: 0,
      memoryMb: state === 'running' ? startMemoryMbOf(service.spec) : 0,
      memorySinceMs: now,
      memoryGrowthMbPerMs: 0,
      exitTimer: null,
      startedOnce: state === 'running',
    };
    this.byService[service.index]?.push(r);
    this.byId.set(r.id, r);
    this.byNode[node.index]?.push(r);
    return r;
  }

  private start(replica: Replica, startMs: number): void {
    const r: LReplica = replica;
    this.setState(r, 'starting');
    r.startTimer = this.kernel.after(startMs, () => {
      r.startTimer = null;
      if (r.state === 'starting' && r.node.state === 'up') this.setState(r, 'running');
    });
  }

  private setState(replica: Replica, state: Replica['state']): void {
    const r: LReplica = replica;
    if (r.state === state) return;
    this.traffic.fold(r.service);
    if (r.startTimer !== null && state !== 'starting') {
      this.kernel.cancel(r.startTimer);
      r.startTimer = null;
    }
    r.state = state;
    this.trace.record({ t: this.kernel.nowMs, kind: `replica.${state}`, source: r.id });
    this.processes.stateChanged(r, this.kernel.nowMs);
    this.traffic.recompute(r.service);
  }
}

const removeFrom = <T>(list: T[] | undefined, item: T): void => {
  if (list === undefined) return;
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
};
