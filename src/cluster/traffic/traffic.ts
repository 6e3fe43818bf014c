import type { SimKernel } from '../../sim/kernel.ts';
import type { Network } from '../network.ts';
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

/**
 * The workload's fluid flow through the load balancer and the replicas. Every change recomputes the affected
 * service at once, so rates are piecewise constant between events and every counter integrates exactly.
 * Owns the services' and replicas' rates and counters.
 */
export class Traffic {
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

  /** Brings a service's counters up to now (rates are constant since the last fold). */
  fold(service: ServiceRuntime): void {
    const s: FlowService = service;
    const now = this.kernel.nowMs;
    const dt = (now - s.countedAtMs) / 1_000;
    if (dt > 0) {
      s.offeredTotal += s.offeredRps * dt;
      s.servedTotal += s.servedRps * dt;
      s.latencyTotal += s.servedRps * s.latencyMs * dt;
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
