/**
 * The writable form of a record for the one sub-model that owns fields `K` of it. Every runtime record is
 * read-only to the rest of the codebase; an owner names the fields it alone writes with this type (TypeScript
 * lets a read-only record be viewed this way without a cast), so who writes what is written down once.
 */
export type Owned<T, K extends keyof T> = Omit<T, K> & { -readonly [P in K]: T[P] };

/** The writable form of a reading, for the monitoring system that fills it. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Fields of a node the node life cycle writes. */
export type NodeLifecycleField =
  | 'state'
  | 'stateSinceMs'
  | 'previousState'
  | 'downCause'
  | 'cordoned'
  | 'drained'
  | 'limits'
  | 'condition'
  | 'conditionAtMs'
  | 'bandTimer'
  | 'bootTimer';

/** Fields of a replica the process model writes. */
export type ProcessField =
  | 'version'
  | 'previousVersion'
  | 'restarts'
  | 'lastTermination'
  | 'lastTerminationAtMs'
  | 'hung'
  | 'processLatencyFactor'
  | 'processErrorRate'
  | 'memoryMb'
  | 'memorySinceMs'
  | 'memoryGrowthMbPerMs'
  | 'exitTimer'
  | 'startedOnce';

/** Fields of a replica the monitoring system writes. */
export type MonitoringField = 'scrape' | 'baseAtMs' | 'baseServed' | 'baseFailed' | 'baseLatency';

/** Fields of a replica the replica life cycle writes. */
export type ReplicaLifecycleField = 'state' | 'startTimer' | 'evicted';

/** Fields of a replica the load balancer writes. */
export type LoadBalancerField = 'lbHealthy' | 'lbFlipTimer' | 'probeOk';

/** Fields of a replica replication writes. */
export type ReplicationField =
  | 'role'
  | 'fenced'
  | 'writesPaused'
  | 'leaseTimer'
  | 'leaseExpiresAtMs'
  | 'logPosition'
  | 'streaming'
  | 'catchUpSinceMs'
  | 'catchUpTimer';

/** Fields of a replica the fluid flow writes. */
export type ReplicaFlowField =
  | 'servedRps'
  | 'failedRps'
  | 'latencyMs'
  | 'latencyP99Ms'
  | 'backlog'
  | 'timeoutRps'
  | 'utilisation'
  | 'countedAtMs'
  | 'servedTotal'
  | 'failedTotal'
  | 'latencyTotal';

/** Fields of a service the replica life cycle writes. */
export type ServiceReplicasField = 'nextReplicaNumber';

/** Fields of a service the fluid flow writes. */
export type ServiceFlowField =
  | 'offeredRps'
  | 'writeRatio'
  | 'shedFraction'
  | 'originalRps'
  | 'retryRps'
  | 'servedRps'
  | 'goodputRps'
  | 'timeoutRps'
  | 'rejectedRps'
  | 'backlog'
  | 'latencyMs'
  | 'latencyP50Ms'
  | 'latencyP95Ms'
  | 'latencyP99Ms'
  | 'levelOk'
  | 'countedAtMs'
  | 'offeredTotal'
  | 'servedTotal'
  | 'latencyTotal'
  | 'goodputTotal'
  | 'timeoutTotal'
  | 'retryTotal'
  | 'rejectedTotal'
  | 'writeRps'
  | 'writeAckRps'
  | 'degradedRps'
  | 'degradedTotal';

/** Fields of a service the call graph writes. */
export type ServiceCallField =
  | 'calls'
  | 'callers'
  | 'callRps'
  | 'callHoldMs'
  | 'idleCallHoldMs'
  | 'callFailure'
  | 'callDegraded';

/** Fields of a service replication writes. */
export type ServiceReplicationField = 'primary' | 'writable' | 'committed' | 'lostWrites';
