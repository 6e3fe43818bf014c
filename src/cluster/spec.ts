import type { Millis } from '../base/duration.ts';
import type { ServiceId } from './ids.ts';
import type { RetryPolicy } from './queueing/retry-policy.ts';

/** Identical nodes, named `node-1` to `node-<count>`. */
export interface NodePoolSpec {
  readonly count: number;
  /** CPU cores per node; each replica reserves `cpuPerReplica` of them. */
  readonly cpuCores: number;
  readonly memoryGb: number;
  /** Fraction of memory in use on a healthy node (0..1). */
  readonly baseMemoryUse: number;
  /** Fraction of disk in use on a healthy node (0..1). */
  readonly baseDiskUse: number;
}

/** Replication of a stateful service: one primary takes writes, the replicas follow its log. */
export interface StatefulSpec {
  /**
   * `sync`: a write is acknowledged once a replica in sync with the primary has it. `async`: replicas trail by
   * `asyncLagMs`. `quorum`: a write is acknowledged once `acks` copies (the primary's included) hold it, and a
   * promotion needs a majority of the service's replicas on the candidate's side.
   */
  readonly replication: ReplicationMode;
  /** Copies, the primary's included, that hold a write before it is acknowledged (`quorum` only). */
  readonly acks: number;
  readonly asyncLagMs: Millis;
  /** Writes per second a replica that fell behind applies while it catches up (after a heal, a restart). */
  readonly catchUpRps: number;
  /**
   * How long a new replica copies the primary's snapshot before it can serve or be promoted (the data size
   * over the snapshot bandwidth); the writes made meanwhile are then caught up at `catchUpRps`.
   */
  readonly snapshotMs: Millis;
  /**
   * Network round trip from the primary to the replicas it waits for: a `sync` or `quorum` write is
   * acknowledged one round trip after the primary has served it (`async` writes do not wait).
   */
  readonly rttMs: Millis;
  /** How long a primary cut off from the control plane keeps accepting writes before it fences itself. */
  readonly leaseMs: Millis;
  /** `lease`: promotion waits out the old primary's lease. `none`: promote at once (split brain is possible). */
  readonly fencing: 'lease' | 'none';
}

/** How a stateful service acknowledges writes. */
export type ReplicationMode = 'sync' | 'async' | 'quorum';

/**
 * One edge of the call graph: every request a caller serves makes `perRequest` sequential calls to `service`,
 * each with its own timeout and attempts (its own client, as a sidecar's route config gives it).
 */
export interface CallSpec {
  /** The callee. */
  readonly service: ServiceId;
  /** Sequential calls per request the caller serves (fan-out); positive, maybe fractional (a mean). */
  readonly perRequest: number;
  /** The caller gives up on one attempt of a call after this long. */
  readonly timeoutMs: Millis;
  /** Attempts per call, the first included, as a workload client's `retries`: 1 means no retries. */
  readonly attempts: number;
  /** A failed call becomes a degraded success (a cached or default answer) instead of failing the request. */
  readonly fallback: boolean;
}

/** A service with replicas spread over the nodes behind the load balancer. */
export interface ServiceSpec {
  readonly name: ServiceId;
  readonly replicas: number;
  /** Requests per second one healthy replica serves at full utilisation. */
  readonly capacityRps: number;
  /** Service time of one request on an idle replica; latency grows with utilisation. */
  readonly latencyMs: Millis;
  readonly cpuPerReplica: number;
  readonly stateful?: StatefulSpec;
  /** Workers serving in parallel per replica (M/M/c's c); absent: ceil(capacityRps x latency), Little's law. */
  readonly concurrency?: number;
  /** Largest backlog per replica, in requests; absent: 1024 (Envoy's default max_pending_requests). */
  readonly queueLimit?: number;
  /** The container's memory limit, MB (its `resources.limits.memory`); absent: 512. */
  readonly memoryLimitMb?: number;
  /** The container's working set right after it starts, MB; absent: a quarter of the limit. */
  readonly memoryMb?: number;
  /** The services this one calls while serving a request (absent or empty: none, a leaf). */
  readonly calls?: readonly CallSpec[];
}

/** The load balancer's active health checks, which lag behind reality as real ones do. */
export interface LoadBalancerSpec {
  readonly healthCheckIntervalMs: Millis;
  /** Consecutive failed checks before a replica is taken out of rotation. */
  readonly unhealthyThreshold: number;
  /** Consecutive passed checks before a replica is put back. */
  readonly healthyThreshold: number;
}

/** What the observers can see and how fresh it is. */
export interface SensorSpec {
  readonly heartbeatIntervalMs: Millis;
  /** Network delay of a heartbeat from a healthy node to the control plane. */
  readonly heartbeatDelayMs: Millis;
  readonly scrapeIntervalMs: Millis;
  /** Relative standard deviation of the noise on scraped metrics (0.02 = 2 %). */
  readonly metricNoise: number;
  /** How far behind reality the cloud provider's host status API is. */
  readonly hostStatusLagMs: Millis;
  /** Mean extra network delay of one heartbeat (exponential, seeded; 0: none). */
  readonly heartbeatJitterMs: Millis;
  /** A node's stop-the-world pauses (GC) come one per this long, at a seeded offset (0: none). */
  readonly gcPauseEveryMs: Millis;
  /** Mean length of one such pause (exponential, seeded): heartbeats due during it leave when it ends. */
  readonly gcPauseMs: Millis;
}

/** How long effector actions take and how often they fail. */
export interface EffectorSpec {
  readonly nodeBootMs: Millis;
  readonly replicaStartMs: Millis;
  readonly promoteMs: Millis;
  readonly reconfigureMs: Millis;
  readonly raiseLimitMs: Millis;
  /** Probability that any one action fails for no visible reason (seeded, from the `effectors` stream). */
  readonly failureProbability: number;
  /** Factor by which `raise-limit` grows a node's memory or disk. */
  readonly limitRaiseFactor: number;
}

/** Everything about the simulated system that does not change during a run. */
export interface ClusterSpec {
  readonly nodes: NodePoolSpec;
  readonly services: readonly ServiceSpec[];
  readonly loadBalancer: LoadBalancerSpec;
  readonly sensors: SensorSpec;
  readonly effectors: EffectorSpec;
}

/** A burst of extra load on top of a workload's shape. */
export interface SpikeSpec {
  readonly atMs: Millis;
  readonly durationMs: Millis;
  readonly factor: number;
}

/** Offered load for one service. */
export interface WorkloadSpec {
  readonly service: ServiceId;
  /** Offered requests per second (the peak, for a diurnal shape). */
  readonly rps: number;
  readonly shape: 'constant' | 'diurnal';
  /** Diurnal: load at the quietest hour as a fraction of the peak. */
  readonly troughFactor: number;
  /** Diurnal: time of day of the peak. */
  readonly peakAtMs: Millis;
  /** Diurnal: the fluid model holds the load constant over steps of this length. */
  readonly stepMs: Millis;
  readonly spikes: readonly SpikeSpec[];
  /** Fraction of requests that are writes (stateful services only). */
  readonly writeRatio: number;
  /** The clients' timeout, attempts, backoff and retry budget; absent: DEFAULT_RETRY_POLICY (one attempt, 15 s). */
  readonly client?: RetryPolicy;
}

/** Defaults for every optional cluster field, in one place for the schema, the docs and the code. */
export const CLUSTER_DEFAULTS = {
  nodes: { cpuCores: 8, memoryGb: 32, baseMemoryUse: 0.45, baseDiskUse: 0.5 },
  service: { latencyMs: 20, cpuPerReplica: 1 },
  call: { perRequest: 1, timeoutMs: 15_000, attempts: 1, fallback: false },
  stateful: {
    asyncLagMs: 1_000,
    leaseMs: 10_000,
    fencing: 'lease',
    catchUpRps: 10_000,
    dataGb: 1,
    snapshotMBps: 100,
    rttMs: 1,
  },
  loadBalancer: { healthCheckIntervalMs: 2_000, unhealthyThreshold: 2, healthyThreshold: 2 },
  sensors: {
    heartbeatIntervalMs: 1_000,
    heartbeatDelayMs: 20,
    scrapeIntervalMs: 10_000,
    metricNoise: 0.02,
    hostStatusLagMs: 2_000,
    heartbeatJitterMs: 5,
    gcPauseEveryMs: 60_000,
    gcPauseMs: 50,
  },
  effectors: {
    nodeBootMs: 45_000,
    replicaStartMs: 8_000,
    promoteMs: 2_000,
    reconfigureMs: 1_000,
    raiseLimitMs: 5_000,
    failureProbability: 0.02,
    limitRaiseFactor: 1.5,
  },
  workload: {
    shape: 'constant',
    troughFactor: 0.3,
    peakAtMs: 14 * 3_600_000,
    stepMs: 300_000,
    writeRatio: 0,
  },
} as const;
