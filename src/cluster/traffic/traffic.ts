import type { SimKernel, TimerHandle } from '../../sim/kernel.ts';
import type { Network } from '../network.ts';
import { DEFAULT_RETRY_POLICY, type RetryBudget, type RetryPolicy } from '../queueing/retry-policy.ts';
import {
  createQueueSlot,
  createServiceTraffic,
  type QueueSlot,
  type ServiceTraffic,
  slotBacklogAt,
} from '../queueing/service-traffic.ts';
import type { Owned, ReplicaFlowField, ServiceFlowField } from '../runtime/ownership.ts';
import type { CallEdge, Replica, ServiceRuntime } from '../runtime/records.ts';
import { CALL_GRAPH_RESUME_MS, CallGraph } from './call-graph.ts';
import { atHealthyLevel, type ServiceLevelCriteria } from './healthy-level.ts';
import type { LoadBalancer } from './load-balancer.ts';
import { flowThrough } from './service-flow.ts';

export type { ServiceLevelCriteria } from './healthy-level.ts';

/** What the traffic model calls out to: replication's roles and log, and whoever listens for changes. */
export interface TrafficHooks {
  /** Refreshes a stateful service's roles, leases and writability before its flow is computed. */
  refreshRoles(s: ServiceRuntime): void;
  /** Adds the writes acknowledged over `dt` seconds at the rates in force to the service's log. */
  accrueWrites(s: ServiceRuntime, dt: number): void;
  /** A service's fluid state was recomputed. */
  serviceUpdated(s: ServiceRuntime, nowMs: number): void;
}

type FlowService = Owned<ServiceRuntime, ServiceFlowField>;

/** A service's clients and queues: the scenario's retry policy, an operator's budget override, the crossing timer. */
interface ServiceState {
  readonly flow: ServiceTraffic;
  scenarioPolicy: RetryPolicy;
  budgetOverride: RetryBudget | null;
  /** The next backlog crossing of one of its replicas, or null when its queues are at rest. */
  timer: TimerHandle | null;
  timerAtMs: number;
}

const withBudget = (policy: RetryPolicy, budget: RetryBudget | null): RetryPolicy =>
  budget === null ? policy : { ...policy, retryBudget: budget };

/**
 * The workload's flow through the load balancer and the replicas' queues. Every change recomputes the affected
 * service at once, and so does each crossing of a replica's backlog (empty, full, a late-share band: one kernel
 * event per service at the earliest), so rates are piecewise constant between events and every counter
 * integrates exactly. Owns the services' and replicas' rates and counters, the queues and the clients' policies.
 */
export class Traffic {
  private readonly states: ServiceState[] = [];
  /** Each replica's queue, by its dense slot number: the backlog belongs to the replica. */
  private readonly slots: QueueSlot[] = [];
  private readonly slotOf = (r: Replica): QueueSlot => {
    let slot = this.slots[r.slot];
    if (slot === undefined) {
      slot = createQueueSlot();
      slot.queue.sinceMs = this.kernel.nowMs;
      this.slots[r.slot] = slot;
    }
    return slot;
  };

  /** The call graph, or null in a world where no service calls another (the hot path never enters it). */
  private graph: CallGraph | null = null;
  private readonly recomputeOne = (s: ServiceRuntime): void => this.recomputeService(s);
  private readonly foldOne = (s: ServiceRuntime): void => this.fold(s);

  constructor(
    private readonly kernel: SimKernel,
    private readonly network: Network,
    private readonly criteria: ServiceLevelCriteria,
    readonly loadBalancer: LoadBalancer,
    private readonly hooks: TrafficHooks,
  ) {}

  /** Builds the call graph over every service once they all exist (before their first recompute). */
  connectCalls(services: readonly ServiceRuntime[]): void {
    const graph = new CallGraph(
      services,
      (s) => this.stateOf(s).flow,
      this.kernel.nowMs,
      (resume) => this.kernel.after(CALL_GRAPH_RESUME_MS, resume),
      () => this.kernel.nowMs,
    );
    this.graph = graph.active ? graph : null;
  }

  /** The call edge from one service to another, if declared. */
  callEdge(from: string, to: string): CallEdge | undefined {
    return this.graph?.edge(from, to);
  }

  /** Sets a `dependency-failure` fault's errors and added latency on an edge (0, 0: cleared). */
  setCallFault(edge: CallEdge, errorRate: number, latencyMs: number): void {
    if (this.graph === null) return;
    this.fold(edge.caller);
    this.graph.setFault(edge, errorRate, latencyMs, this.kernel.nowMs);
    this.recompute(edge.caller);
  }

  /** Opens (true) or closes an edge's circuit breaker. */
  setCircuit(edge: CallEdge, open: boolean): void {
    if (this.graph === null) return;
    this.fold(edge.caller);
    this.graph.setCircuit(edge, open, this.kernel.nowMs);
    this.recompute(edge.caller);
  }

  /** Propagations of the call graph the round bound stopped (0 in a world without calls). */
  get callGraphTruncations(): number {
    return this.graph?.truncated ?? 0;
  }

  /** Sets a service's offered load (the workload model calls this at each step). */
  setOffered(service: ServiceRuntime, rps: number, writeRatio: number): void {
    const s: FlowService = service;
    // Fold at the old rates first: the counters up to now were offered at the old load.
    this.fold(s);
    this.graph?.setWorkload(s, rps);
    s.offeredRps = rps + s.callRps;
    s.writeRatio = s.spec.stateful === undefined ? 0 : writeRatio;
    this.recompute(s);
  }

  /** Rejects a fraction of a service's offered load at the door. */
  setShed(service: ServiceRuntime, fraction: number): void {
    const s: FlowService = service;
    this.fold(s);
    s.shedFraction = Math.min(Math.max(fraction, 0), 1);
    this.recompute(s);
  }

  /** Sets the retry policy of a service's clients as the scenario's workload gives it (before any override). */
  setClientPolicy(service: ServiceRuntime, policy: RetryPolicy): void {
    const st = this.stateOf(service);
    this.fold(service);
    st.scenarioPolicy = policy;
    st.flow.policy = withBudget(policy, st.budgetOverride);
    this.recompute(service);
  }

  /**
   * Reconfigures the retry budget of a service's clients (an operator's change to the client or mesh config);
   * null restores the scenario's own policy.
   */
  setRetryBudget(service: ServiceRuntime, budget: RetryBudget | null): void {
    const st = this.stateOf(service);
    this.fold(service);
    st.budgetOverride = budget;
    st.flow.policy = withBudget(st.scenarioPolicy, budget);
    this.recompute(service);
  }

  /**
   * Requests queued at a replica now: the backlog is linear between events, so a scrape between two of them
   * reads where it has got to (the record's `backlog` is its value at the last event).
   */
  replicaBacklogNow(r: Replica): number {
    const slot = this.slots[r.slot];
    return slot === undefined ? 0 : slotBacklogAt(slot, this.kernel.nowMs);
  }

  /** Requests queued over a service's replicas now. */
  serviceBacklogNow(service: ServiceRuntime): number {
    if (!this.stateOf(service).flow.settledBusy) return 0;
    let sum = 0;
    for (const r of service.replicas) sum += this.replicaBacklogNow(r);
    return sum;
  }

  /** The retry policy a service's clients follow now (the scenario's, with any budget override applied). */
  clientPolicy(service: ServiceRuntime): RetryPolicy {
    return this.stateOf(service).flow.policy;
  }

  /** Brings a service's counters up to now (rates are constant since the last fold). */
  fold(service: ServiceRuntime): void {
    const s: FlowService = service;
    const now = this.kernel.nowMs;
    const dt = (now - s.countedAtMs) / 1_000;
    if (dt > 0) {
      s.offeredTotal += s.offeredRps * dt;
      s.servedTotal += s.servedRps * dt;
      s.latencyTotal += s.servedRps * s.latencyMs * dt;
      s.goodputTotal += s.goodputRps * dt;
      s.timeoutTotal += s.timeoutRps * dt;
      s.retryTotal += s.retryRps * dt;
      s.rejectedTotal += s.rejectedRps * dt;
      s.degradedTotal += s.degradedRps * dt;
      this.hooks.accrueWrites(s, dt);
      for (const r of s.replicas) foldReplica(r, now);
    }
    s.countedAtMs = now;
    if (this.graph !== null) this.graph.foldCalls(s, now);
  }

  /**
   * Recomputes one service: replication roles, where the load balancer sends traffic, what each replica's
   * queue serves, rejects and answers late, the clients' retries, and whether the service is at its healthy
   * level; then schedules its next backlog crossing. Called after every change. With calls, the services whose
   * inputs it moves follow, to the call graph's fixed point (src/cluster/traffic/call-graph.ts).
   */
  recompute(service: ServiceRuntime): void {
    if (this.graph === null) this.recomputeService(service);
    else this.graph.run(service, this.recomputeOne, this.foldOne, this.kernel.nowMs);
  }

  /** One service's recompute, on its own (the call graph chains them). */
  private recomputeService(service: ServiceRuntime): void {
    const s: FlowService = service;
    const now = this.kernel.nowMs;
    this.fold(s);
    if (s.spec.stateful !== undefined) this.hooks.refreshRoles(s);
    const st = this.stateOf(s);
    const next = flowThrough(s, this.network, st.flow, this.slotOf, now);
    this.schedule(s, st, next);
    s.levelOk = atHealthyLevel(s, this.criteria);
    this.loadBalancer.refreshProbes(s);
    this.hooks.serviceUpdated(s, now);
  }

  /** One timer per service, at the earliest crossing rounded up to a whole ms (at least 1 ms ahead). */
  private schedule(s: ServiceRuntime, st: ServiceState, nextMs: number): void {
    const now = this.kernel.nowMs;
    const at = Number.isFinite(nextMs)
      ? Math.max(now + 1, Math.ceil(nextMs - 1e-6))
      : Number.POSITIVE_INFINITY;
    if (st.timer !== null && st.timerAtMs === at) return;
    if (st.timer !== null) this.kernel.cancel(st.timer);
    st.timer = null;
    st.timerAtMs = at;
    if (at === Number.POSITIVE_INFINITY) return;
    st.timer = this.kernel.at(at, () => {
      st.timer = null;
      st.timerAtMs = Number.POSITIVE_INFINITY;
      this.recompute(s);
    });
  }

  private stateOf(service: ServiceRuntime): ServiceState {
    let st = this.states[service.index];
    if (st === undefined) {
      st = {
        flow: createServiceTraffic(),
        scenarioPolicy: DEFAULT_RETRY_POLICY,
        budgetOverride: null,
        timer: null,
        timerAtMs: Number.POSITIVE_INFINITY,
      };
      this.states[service.index] = st;
    }
    return st;
  }
}

const foldReplica = (replica: Replica, now: number): void => {
  const r: Owned<Replica, ReplicaFlowField> = replica;
  const dt = (now - r.countedAtMs) / 1_000;
  if (dt > 0) {
    r.servedTotal += r.servedRps * dt;
    r.failedTotal += r.failedRps * dt;
    r.latencyTotal += r.servedRps * r.latencyMs * dt;
  }
  r.countedAtMs = now;
};
