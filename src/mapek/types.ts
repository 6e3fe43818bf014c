import type { ActionRequest, ActionType } from '../cluster/actions.ts';
import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import type { HostStatus, ReplicaPlacement } from '../cluster/sensors.ts';
import type { MapekError } from './errors.ts';

/** The four families of recovery action (Restart, Failover, Scale, Reconfigure), from the effector catalog. */
export type { ActionType } from '../cluster/actions.ts';

/** Every failure type, in a fixed order. */
export const FAILURE_TYPES = [
  'NodeCrash',
  'NetworkPartition',
  'ResourceExhaustion',
  'PerformanceDegradation',
  'ProcessFault',
  'BadDeploy',
  'DependencyFailure',
] as const;

/** What kind of failure the analysis diagnosed, as the seed API names them. */
export type FailureType = (typeof FAILURE_TYPES)[number];

/**
 * The analysis' best explanation of a failure, finer than its type: the planner's catalog is keyed by it.
 * `oom-crash` is a node that went silent right after running out of memory; `overload` is a service short of
 * capacity with no sick node to blame. `self-reboot` is a crash the machine is rebooting from by itself (the
 * cloud API says `starting` and the loop ordered no power cycle); `flapping` is a node that keeps failing and
 * coming back (`FLAPPING` in flapping.ts); `kept-out` is a flapping node the loop keeps out (nothing to
 * do but wait); `readmit` is one that has stayed healthy long enough to come back. `retry-storm` is a
 * service whose clients' retries keep it saturated with work that times out (goodput collapsed, attempts well
 * above the original requests) while its nodes are healthy: a metastable failure that outlives its trigger.
 * `lift-mitigation` is the loop's own decision to roll back the shedding or retry budget it put on a service
 * once its backlog has drained and goodput is back.
 */
export type RootCause =
  | 'crash'
  | 'oom-crash'
  | 'self-reboot'
  | 'flapping'
  | 'kept-out'
  | 'readmit'
  | 'partition'
  | 'cpu'
  | 'memory'
  | 'disk'
  | 'slow-node'
  | 'overload'
  | 'retry-storm'
  | 'lift-mitigation'
  // Process faults (src/mapek/process-diagnosis.ts): one replica bad on a healthy node, or a version.
  | 'hang'
  | 'crash-loop'
  | 'bad-deploy'
  | 'process-leak'
  // The call graph (src/mapek/dependency-diagnosis.ts): an edge failing between two healthy services; a
  // caller whose calls fail because its callee (or one further down) is sick, answered by its circuit breaker
  // where it has a fallback; the loop's own half-open probe of a circuit it opened.
  | 'dependency'
  | 'cascade'
  | 'close-circuit';

/** One observation out of its normal range, as the monitor reports it. */
export type Symptom =
  | {
      readonly kind: 'heartbeat-silence';
      readonly node: NodeId;
      /** Time since the last heartbeat arrived. */
      readonly silenceMs: number;
      /** Heartbeats missed (the k-missed detector's count). */
      readonly missed: number;
      /** The phi-accrual detector's suspicion level. */
      readonly phi: number;
      /** The cloud API's host status (lagging reality). */
      readonly host: HostStatus;
      /**
       * When the node fell silent: the send time its first missing heartbeat was due. Whatever silenced it
       * (a stop or a cut link) happened before then.
       */
      readonly silentSinceMs: number;
      /**
       * From when the host status covers the silence: a machine that stopped before `silentSinceMs` shows as
       * stopped by then (the API's lag after it). A `running` answer from then on means the machine runs.
       */
      readonly hostFreshAtMs: number;
      /** Whether a peer's indirect probe reached the node. */
      readonly peerSees: boolean;
      /** Memory use at the node's last scrape before it went silent. */
      readonly lastMemory: number;
    }
  | {
      /**
       * Heartbeats still arrive but the control plane cannot reach the node: its last scrape failed and a
       * ping now times out. A one-way partition (the node sends, nothing reaches it).
       */
      readonly kind: 'node-unreachable';
      readonly node: NodeId;
      /** When the last scrape that reached it happened. */
      readonly lastScrapedAtMs: number;
    }
  | { readonly kind: 'cpu-pressure'; readonly node: NodeId; readonly value: number }
  | {
      readonly kind: 'memory-pressure';
      readonly node: NodeId;
      readonly value: number;
      /** Growth per minute, as a fraction of the node's memory (the least-squares slope of recent scrapes). */
      readonly trendPerMin: number;
    }
  | { readonly kind: 'disk-pressure'; readonly node: NodeId; readonly value: number }
  | {
      readonly kind: 'replica-errors';
      readonly replica: ReplicaId;
      readonly service: ServiceId;
      readonly node: NodeId;
      readonly errorRate: number;
    }
  | {
      readonly kind: 'replica-latency';
      readonly replica: ReplicaId;
      readonly service: ServiceId;
      readonly node: NodeId;
      readonly latencyMs: number;
      /** Median latency of the service's other replicas in the same scrape. */
      readonly peerMs: number;
    }
  | { readonly kind: 'service-errors'; readonly service: ServiceId; readonly errorRate: number }
  | {
      /** A latency quantile over the service's latency objective (the scenario's SLO, else a learned baseline). */
      readonly kind: 'tail-latency';
      readonly service: ServiceId;
      readonly quantile: 'p50' | 'p99';
      readonly latencyMs: number;
      readonly limitMs: number;
      /** Where the limit comes from: the declared objective, or `latencyThreshold` x the learned quantile. */
      readonly source: 'slo' | 'baseline';
    }
  | {
      /** Requests queue up faster than they are served: the backlog grew since the last scrape. */
      readonly kind: 'backlog-growing';
      readonly service: ServiceId;
      readonly backlog: number;
      /** Requests per second the backlog grew by between the two scrapes. */
      readonly growthPerSec: number;
      /** How long the backlog alone makes a new request wait at the current throughput. */
      readonly delayMs: number;
    }
  | {
      /** Clients send well more attempts than requests: retries amplify the load. */
      readonly kind: 'retry-amplification';
      readonly service: ServiceId;
      /** Attempts per original request, (original + retries) / original. */
      readonly amplification: number;
      readonly originalRps: number;
      readonly retryRps: number;
    }
  | {
      /** The servers are busy but their answers come too late to count: goodput far below throughput. */
      readonly kind: 'goodput-collapse';
      readonly service: ServiceId;
      readonly goodputRps: number;
      /** Requests the replicas served, in time or not. */
      readonly throughputRps: number;
      readonly originalRps: number;
      /** Requests waiting, at the scrape. */
      readonly backlog: number;
    }
  | {
      readonly kind: 'service-latency';
      readonly service: ServiceId;
      readonly latencyMs: number;
      readonly baselineMs: number;
    };

/** Symptoms of a node the control plane cannot reach, whichever way the link is cut. */
type CutOffSymptom = Extract<Symptom, { kind: 'heartbeat-silence' | 'node-unreachable' }>;

/** Whether a symptom says the control plane cannot reach its node (silent, or deaf). */
export const isCutOff = (s: Symptom): s is CutOffSymptom =>
  s.kind === 'heartbeat-silence' || s.kind === 'node-unreachable';

/** The kind of a symptom. */
export type SymptomKind = Symptom['kind'];

/** Aggregate metrics of the whole cluster, as the load balancer's scrapes report them. */
export interface SystemMetrics {
  readonly offeredRps: number;
  readonly servedRps: number;
  /** 1 - served / offered over all services. */
  readonly errorRate: number;
  /** Mean latency weighted by served requests. */
  readonly latencyMs: number;
  /** The worst service's 1 - served / offered, in percent. */
  readonly degradationPercent: number;
  /** Nodes whose heartbeats arrive. */
  readonly nodesResponding: number;
  readonly nodes: number;
}

/** Health of one service as last scraped. */
export interface ServiceHealth {
  readonly service: ServiceId;
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly errorRate: number;
  readonly latencyMs: number;
  /** The latency the monitor has learned as normal for this service. */
  readonly baselineLatencyMs: number;
  /** The share of its load the operator sheds at the door (the operator's own configuration). */
  readonly shedFraction: number;
  /** Its clients' and servers' traffic. */
  readonly load?: LoadEstimate;
  /** Its calls per callee as its sidecar reports them, with the declared fallback (absent: it calls nothing). */
  readonly dependencies?: readonly DependencyHealth[];
}

/** One callee as its caller's proxy sees it, with what the monitor has learned as its normal call time. */
export interface DependencyHealth {
  readonly service: ServiceId;
  readonly rps: number;
  readonly errorRate: number;
  readonly timeoutRate: number;
  readonly latencyMs: number;
  readonly baselineLatencyMs: number;
  readonly circuitOpen: boolean;
  /** Declared: a failed call is answered by a fallback. */
  readonly fallback: boolean;
}

/** Where things run, as the control plane's inventory says: read when a cycle has something to act on. */
export interface Topology {
  readonly atMs: number;
  readonly placements: readonly ReplicaPlacement[];
  /** Primary replica of each stateful service. */
  readonly primaries: ReadonlyMap<ServiceId, ReplicaId>;
  /** The placements grouped by node, and by service. */
  readonly byNode: ReadonlyMap<NodeId, readonly ReplicaPlacement[]>;
  readonly byService: ReadonlyMap<ServiceId, readonly ReplicaPlacement[]>;
}

/** What one monitor phase observed. */
export interface ClusterState {
  /** When the sensors were sampled. */
  readonly observedAtMs: number;
  /** End of the oldest service scrape window included (freshness for verification). */
  readonly scrapedAtMs: number;
  readonly metrics: SystemMetrics;
  readonly services: readonly ServiceHealth[];
  /** Nodes either failure detector suspects. */
  readonly suspectedNodes: readonly NodeId[];
  /** Read only when there are symptoms or recoveries to verify. */
  readonly topology?: Topology;
}

/** A failure the analysis diagnosed. */
export interface DetectedFailure {
  /** Identity across cycles: `<type>:<component>`. */
  readonly key: string;
  readonly type: FailureType;
  /** The node (or, for an overloaded service, the service) at fault. */
  readonly component: string;
  /** Every node the failure covers: one, or all nodes cut off by one partition. */
  readonly nodes: readonly NodeId[];
  /** Services with replicas on those nodes (or the overloaded service). */
  readonly services: readonly ServiceId[];
  readonly cause: RootCause;
  /** The explanation in words, for journals. */
  readonly rootCause: string;
  /** How much of the affected services the failure takes away, in [0, 1]. */
  readonly severity: number;
  /** The symptom kinds that led to the diagnosis. */
  readonly evidence: readonly SymptomKind[];
  readonly detectedAtMs: number;
  /**
   * For a service's traffic failures (overload, retry storm): the load as the sensors showed it, with the share
   * shed at the door added back (the clients' demand).
   */
  readonly load?: LoadEstimate;
  /** For a process fault: the replicas at fault and what their containers' statuses said. */
  readonly process?: ProcessEvidence;
  /** For the call graph's failures (dependency, cascade, close-circuit): the edge, and its declared fallback. */
  readonly call?: CallEdgeRef;
}

/** A call edge a failure is about. */
export interface CallEdgeRef {
  readonly caller: ServiceId;
  readonly callee: ServiceId;
  readonly fallback: boolean;
}

/** What a process fault's diagnosis rests on: its replicas' container statuses at the time. */
export interface ProcessEvidence {
  readonly replicas: readonly ReplicaId[];
  /** Whether the replicas at fault run a newer version than before (a rollback takes it back). */
  readonly newVersion: boolean;
  /** The version they run, and the one before it. */
  readonly version: number;
  readonly previousVersion: number;
  /** The most restarts among them (a crash-loop that a restart did not help has at least one). */
  readonly restarts: number;
}

/** A service's load when its traffic failure was diagnosed, from its load balancer's scrape. */
export interface LoadEstimate {
  /** Original requests per second (clients' first attempts). */
  readonly originalRps: number;
  /** Attempts per second, retries included. */
  readonly attemptsRps: number;
  /** Requests per second the replicas served, in time or not: their capacity while a backlog stands. */
  readonly throughputRps: number;
  readonly goodputRps: number;
  readonly backlog: number;
}

/** What one analysis phase concluded. */
export interface AnalysisResult {
  readonly failures: readonly DetectedFailure[];
  /** Failures reported for the first time in this cycle. */
  readonly newFailures: readonly DetectedFailure[];
  /** Suspected nodes whose diagnosis waits for more evidence (the cloud API may still lag). */
  readonly deferred: readonly NodeId[];
  /** When the deferred diagnoses can be settled: the cloud API will then cover every deferred silence. */
  readonly recheckAtMs?: number;
  /** Symptoms no failure explains yet. */
  readonly unexplained: number;
}

/** Every strategy of the planner's catalog, by name. */
export const STRATEGY_IDS = [
  'failover-and-reboot',
  'reboot-node',
  'reschedule-replicas',
  'raise-disk-limit',
  'raise-memory-limit',
  'drain-and-scale',
  'scale-out',
  'shed-while-scaling',
  'shed-load',
  'shed-to-capacity',
  'retry-budget',
  'lift-mitigation',
  'quarantine-node',
  'readmit-node',
  'rollback',
  'restart-in-place',
  'replace-replica',
  'open-circuit',
  'close-circuit',
] as const;

/** The name of a recovery strategy in the planner's catalog. */
export type StrategyId = (typeof STRATEGY_IDS)[number];

/** One effector action of a plan. Actions of one stage run in parallel; stages run in order. */
export interface RecoveryAction {
  readonly type: ActionType;
  readonly request: ActionRequest;
  readonly stage: number;
  /** Whether a failed recovery undoes it (drain, cordon, shed load, scale). */
  readonly reversible: boolean;
  /** Dispatched with stage 0 but not awaited: a repair the service level does not depend on. */
  readonly background: boolean;
}

/** A strategy the planner weighed, with its expected utility. */
export interface RankedStrategy {
  readonly strategy: StrategyId;
  readonly utility: number;
  readonly successRate: number;
  readonly expectedRecoveryMs: number;
}

/** What the planner decided for one failure. */
export interface RecoveryPlan {
  readonly failure: DetectedFailure;
  readonly strategy: StrategyId;
  readonly actions: readonly RecoveryAction[];
  readonly expectedRecoveryMs: number;
  readonly expectedUtility: number;
  readonly cost: number;
  readonly risk: number;
  /** 1 for the first attempt at this failure, 2 for the first fallback... */
  readonly attempt: number;
  /** Whether repeated failures let the planner reach for the escalation tier. */
  readonly escalated: boolean;
  /** The other applicable strategies, best first. */
  readonly alternatives: readonly RankedStrategy[];
}

/** How one recovery ended. */
export interface RecoveryOutcome {
  readonly key: string;
  readonly failureType: FailureType;
  readonly strategy: StrategyId;
  readonly ok: boolean;
  /** From dispatch to verification (or failure). */
  readonly durationMs: number;
  readonly reason: string;
}

/** What one execution phase did. */
export interface ExecutionResult {
  /** Effector actions dispatched in this phase. */
  readonly dispatched: number;
  /** Keys of failures whose recovery started. */
  readonly started: readonly string[];
  readonly verified: readonly RecoveryOutcome[];
  readonly failed: readonly RecoveryOutcome[];
  /** Reversible actions undone after failed recoveries. */
  readonly rolledBack: number;
  /** Keys of failures escalated or given up on in this cycle. */
  readonly escalated: readonly string[];
  /** Recoveries still running after the phase. */
  readonly inFlight: number;
}

/** The sim time each phase of a cycle took. */
export interface PhaseTimings {
  readonly detectionTimeMs: number;
  readonly analysisTimeMs: number;
  readonly planningTimeMs: number;
  readonly executionTimeMs: number;
  readonly totalTimeMs: number;
}

/** One MAPE-K cycle, as the seed API reports it. */
export interface MapekCycleResult extends PhaseTimings {
  readonly cycle: number;
  readonly startedAtMs: number;
  /**
   * The cycle ran to the end and left no failure unattended: nothing was wrong, or every failure it saw is
   * verified, contained or has a recovery in flight, and no recovery failed in this cycle.
   */
  readonly recoveredSuccessfully: boolean;
  /** The worst service degradation the sensors showed, in percent. */
  readonly maxDegradationPercent: number;
  /** Failures this cycle planned a recovery for or concluded one of. */
  readonly failuresHandled: readonly DetectedFailure[];
  readonly state?: ClusterState;
  readonly analysis?: AnalysisResult;
  readonly plans: readonly RecoveryPlan[];
  readonly execution?: ExecutionResult;
  /** Why the cycle did not finish (CycleTimeout, or a phase that failed). */
  readonly error?: MapekError;
}
