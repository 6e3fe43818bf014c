import type { SimKernel } from '../../sim/kernel.ts';
import type { Network } from '../network.ts';
import { DEFAULT_RETRY_POLICY, type RetryBudget, type RetryPolicy } from '../queueing/retry-policy.ts';
import { latencyMultiplier } from '../queueing.ts';
import type { Owned, Replica, ReplicaFlowField, ServiceFlowField, ServiceRuntime } from '../runtime.ts';
import type { LoadBalancer } from './load-balancer.ts';
import { flowThrough } from './service-flow.ts';

/** Tolerances that decide whether a service is at its healthy level (ground truth). */
export interface ServiceLevelCriteria {
  /** Fraction of the healthy cluster's throughput that may be missing while still at level. */
  readonly throughputTolerance: number;
  /** Latency may be this many times the healthy cluster's latency at the same load. */
  readonly latencyTolerance: number;
}

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

/** A service's clients: the scenario's retry policy, an operator's budget override, and the policy in force. */
interface ServiceClients {
  scenario: RetryPolicy;
  budgetOverride: RetryBudget | null;
  policy: RetryPolicy;
}

const withBudget = (policy: RetryPolicy, budget: RetryBudget | null): RetryPolicy => {
  if (budget === null) return policy;
  return { ...policy, retryBudget: budget };
};

/**
 * The workload's fluid flow through the load balancer and the replicas. Every change recomputes the affected
 * service at once, so rates are piecewise constant between events and every counter integrates exactly.
 * Owns the services' and replicas' rates and counters.
 */
export class Traffic {
  private readonly clients: ServiceClients[] = [];

  constructor(
    private readonly kernel: SimKernel,
    private readonly network: Network,
    private readonly criteria: ServiceLevelCriteria,
    readonly loadBalancer: LoadBalancer,
    private readonly hooks: TrafficHooks,
  ) {}

  /** Sets a service's offered load (the workload model calls this at each step). */
  setOffered(service: ServiceRuntime, rps: number, writeRatio: number): void {
    const s: FlowService = service;
    // Fold at the old rates first: the counters up to now were offered at the old load.
    this.fold(s);
    s.offeredRps = rps;
    s.writeRatio = s.spec.stateful === undefined ? 0 : writeRatio;
    this.recompute(s);
  }

  /** Rejects a fraction of a service's offered load at the door. */
  setShed(service: ServiceRuntime, fraction: number): void {
    const s: FlowService = service;
    s.shedFraction = Math.min(Math.max(fraction, 0), 1);
    this.recompute(s);
  }

  /** Sets the retry policy of a service's clients as the scenario's workload gives it (before any override). */
  setClientPolicy(service: ServiceRuntime, policy: RetryPolicy): void {
    const c = this.clientsOf(service);
    c.scenario = policy;
    c.policy = withBudget(policy, c.budgetOverride);
    this.recompute(service);
  }

  /**
   * Reconfigures the retry budget of a service's clients (an operator's change to the client or mesh config);
   * null restores the scenario's own policy.
   */
  setRetryBudget(service: ServiceRuntime, budget: RetryBudget | null): void {
    const c = this.clientsOf(service);
    c.budgetOverride = budget;
    c.policy = withBudget(c.scenario, budget);
    this.recompute(service);
  }

  /** The retry policy a service's clients follow now (the scenario's, with any budget override applied). */
  clientPolicy(service: ServiceRuntime): RetryPolicy {
    return this.clientsOf(service).policy;
  }

  private clientsOf(service: ServiceRuntime): ServiceClients {
    let c = this.clients[service.index];
    if (c === undefined) {
      c = { scenario: DEFAULT_RETRY_POLICY, budgetOverride: null, policy: DEFAULT_RETRY_POLICY };
      this.clients[service.index] = c;
    }
    return c;
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
      this.hooks.accrueWrites(s, dt);
      for (const r of s.replicas) foldReplica(r, now);
    }
    s.countedAtMs = now;
  }

  /**
   * Recomputes one service: replication roles, where the load balancer sends traffic, what each replica
   * serves and how fast, and whether the service is at its healthy level. Called after every change.
   */
  recompute(service: ServiceRuntime): void {
    const s: FlowService = service;
    const now = this.kernel.nowMs;
    this.fold(s);
    if (s.spec.stateful !== undefined) this.hooks.refreshRoles(s);
    flowThrough(s, this.network);
    s.levelOk = this.atHealthyLevel(s);
    this.loadBalancer.refreshProbes(s);
    this.hooks.serviceUpdated(s, now);
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
