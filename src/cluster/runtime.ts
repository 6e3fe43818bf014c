import type { TimerHandle } from '../sim/kernel.ts';
import type { NodeId, ReplicaId } from './ids.ts';
import type { NodeCondition, NodeEffect, NodeLimits } from './node-resources.ts';
import type { ServiceSpec } from './spec.ts';

/** A node's life cycle: `booting` until the OS is up, then `up` until it crashes or is restarted. */
export type NodeState = 'up' | 'crashed' | 'booting';

/** Why a node went down, kept for the ground-truth record. */
export type DownCause = 'fault' | 'oom' | 'restart';

/**
 * Mutable per-node state. Plain objects on purpose: the hot path touches these thousands of times per
 * simulated hour, where an actor per node would cost microseconds per event.
 */
export interface NodeRuntime {
  readonly index: number;
  readonly id: NodeId;
  state: NodeState;
  stateSinceMs: number;
  previousState: NodeState;
  downCause: DownCause | null;
  cordoned: boolean;
  /** Taken out of the load balancer's rotation by an operator (reroute). */
  drained: boolean;
  readonly effects: Map<string, NodeEffect>;
  limits: NodeLimits;
  condition: NodeCondition;
  /** When `condition` was computed (a leak keeps growing memory use after it). */
  conditionAtMs: number;
  /** The next memory band crossing or OOM event of a leak. */
  bandTimer: TimerHandle | null;
  bootTimer: TimerHandle | null;
  readonly replicas: Replica[];
  /** Heartbeats reach the control plane since this time, with this delay; null while they do not. */
  heartbeatSinceMs: number | null;
  heartbeatDelayMs: number;
  /** Arrival time of the last heartbeat before the current flow started or stopped. */
  lastHeartbeatBeforeMs: number;
  /** Its send time (kept, not derived: the delay it travelled with may have changed since). */
  lastHeartbeatSentBeforeMs: number;
  readonly heartbeatPhaseMs: number;
}

/** A replica's life cycle. */
export type ReplicaState = 'starting' | 'running' | 'stopped' | 'removed';

/** Role of a replica in a stateful service. */
export type ReplicaRole = 'primary' | 'replica' | 'none';

/** One instance of a service on a node, with its fluid rates and cumulative counters. */
export interface Replica {
  readonly id: ReplicaId;
  readonly service: ServiceRuntime;
  readonly node: NodeRuntime;
  state: ReplicaState;
  startTimer: TimerHandle | null;
  /** The load balancer's belief, which trails `probeOk` by its health-check thresholds. */
  lbHealthy: boolean;
  lbFlipTimer: TimerHandle | null;
  readonly lbPhaseMs: number;
  /** Whether a health check would pass right now. */
  probeOk: boolean;
  role: ReplicaRole;
  /** Taken out of rotation while a replacement starts (a move); deleted once it runs. */
  evicted: boolean;
  /** A primary cut off from the control plane stops accepting writes once its lease runs out. */
  fenced: boolean;
  /**
   * A primary handing over in a planned switchover: it has stopped accepting writes so that the replica
   * taking over can apply the rest of its log before the promotion.
   */
  writesPaused: boolean;
  leaseTimer: TimerHandle | null;
  /** When a primary cut off from the control plane fences itself (Infinity while it holds its lease). */
  leaseExpiresAtMs: number;
  // Fluid rates, piecewise constant between events (requests per second, milliseconds).
  servedRps: number;
  failedRps: number;
  latencyMs: number;
  utilisation: number;
  // Counters integrated exactly up to countedAtMs.
  countedAtMs: number;
  servedTotal: number;
  failedTotal: number;
  latencyTotal: number;
  /** Writes applied from the primary's log, while not streaming. */
  logPosition: number;
  streaming: boolean;
  // Last scrape, as the monitoring system saw it (filled in place: no allocation per scrape), and the
  // counters it was taken from.
  scrape: Mutable<ReplicaScrape> | null;
  baseAtMs: number;
  baseServed: number;
  baseFailed: number;
  baseLatency: number;
}

/** The writable form of a reading, for the monitoring system that fills it. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What one scrape of a replica returned (rates over the scrape interval, with sensor noise). */
export interface ReplicaScrape {
  readonly atMs: number;
  readonly rps: number;
  readonly errorRate: number;
  readonly latencyMs: number;
  /** CPU utilisation of the replica against its reservation, 0..1 (as metrics-server reports it). */
  readonly cpu: number;
  /** Writes behind the primary (stateful replicas only). */
  readonly replicationLag: number;
  readonly role: ReplicaRole;
}

/** Mutable per-service state. */
export interface ServiceRuntime {
  readonly index: number;
  readonly spec: ServiceSpec;
  readonly replicas: Replica[];
  nextReplicaNumber: number;
  offeredRps: number;
  writeRatio: number;
  /** Fraction of offered load rejected at the door by load shedding. */
  shedFraction: number;
  servedRps: number;
  latencyMs: number;
  /** Ground truth: the service serves what a healthy cluster would. */
  levelOk: boolean;
  countedAtMs: number;
  offeredTotal: number;
  servedTotal: number;
  latencyTotal: number;
  // Stateful services only.
  primary: Replica | null;
  writable: boolean;
  writeRps: number;
  /** Acknowledged writes in the primary's log at countedAtMs. */
  committed: number;
  lostWrites: number;
  /** Last scrape of the service's load-balancer metrics. */
  scrape: ServiceScrape | null;
  scrapeBase: { atMs: number; offered: number; served: number; latency: number } | null;
}

/** Service metrics as the load balancer reports them, over the last scrape interval. */
export interface ServiceScrape {
  readonly atMs: number;
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly errorRate: number;
  readonly latencyMs: number;
}
