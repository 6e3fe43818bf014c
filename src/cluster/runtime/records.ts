import type { TimerHandle } from '../../sim/kernel.ts';
import type { NodeId, ReplicaId } from '../ids.ts';
import type { NodeCondition, NodeEffect, NodeLimits } from '../node-resources.ts';
import type { CallSpec, ServiceSpec } from '../spec.ts';
import type { ReplicaScrape } from './scrapes.ts';
import type { DownCause, NodeState, ReplicaRole, ReplicaState, Termination } from './states.ts';

/**
 * Per-node state, read-only outside its owners. Plain objects on purpose: the hot path touches these
 * thousands of times per simulated hour, where an actor per node would cost microseconds per event.
 * Heartbeats keep their state in typed arrays of their own (src/cluster/heartbeats/).
 */
export interface NodeRuntime {
  readonly index: number;
  readonly id: NodeId;
  // Written by the node life cycle (src/cluster/nodes/).
  readonly state: NodeState;
  readonly stateSinceMs: number;
  readonly previousState: NodeState;
  readonly downCause: DownCause | null;
  readonly cordoned: boolean;
  /** Taken out of the load balancer's rotation by an operator (reroute). */
  readonly drained: boolean;
  readonly effects: ReadonlyMap<string, NodeEffect>;
  readonly limits: NodeLimits;
  readonly condition: NodeCondition;
  /** When `condition` was computed (a leak keeps growing memory use after it). */
  readonly conditionAtMs: number;
  /** The next memory band crossing or OOM event of a leak. */
  readonly bandTimer: TimerHandle | null;
  readonly bootTimer: TimerHandle | null;
  // Written by the replica life cycle (src/cluster/replicas/).
  readonly replicas: readonly Replica[];
}

/**
 * One instance of a service on a node, with its fluid rates and cumulative counters; read-only outside its
 * owners.
 */
export interface Replica {
  readonly id: ReplicaId;
  /** Dense creation number across the cluster, never reused: an index into per-replica arrays. */
  readonly slot: number;
  readonly service: ServiceRuntime;
  readonly node: NodeRuntime;
  // Written by the replica life cycle (src/cluster/replicas/).
  readonly state: ReplicaState;
  readonly startTimer: TimerHandle | null;
  /** Taken out of rotation while a replacement starts (a move); deleted once it runs. */
  readonly evicted: boolean;
  // Written by the load balancer (src/cluster/traffic/load-balancer.ts).
  /** The load balancer's belief, which trails `probeOk` by its health-check thresholds. */
  readonly lbHealthy: boolean;
  readonly lbFlipTimer: TimerHandle | null;
  readonly lbPhaseMs: number;
  /** Whether a health check would pass right now. */
  readonly probeOk: boolean;
  // Written by replication (src/cluster/replication/).
  readonly role: ReplicaRole;
  /** A primary cut off from the control plane stops accepting writes once its lease runs out. */
  readonly fenced: boolean;
  /**
   * A primary handing over in a planned switchover: it has stopped accepting writes so that the replica
   * taking over can apply the rest of its log before the promotion.
   */
  readonly writesPaused: boolean;
  readonly leaseTimer: TimerHandle | null;
  /** When a primary cut off from the control plane fences itself (Infinity while it holds its lease). */
  readonly leaseExpiresAtMs: number;
  /**
   * Writes applied from the primary's log: the position itself while not streaming, the position when the
   * catch-up began while catching up, and a floor once in sync (see Replication.logPosition).
   */
  readonly logPosition: number;
  readonly streaming: boolean;
  /** When a streaming replica that is behind began catching up at the service's `catchUpRps`; -1 in sync. */
  readonly catchUpSinceMs: number;
  /** Fires when a catching-up replica reaches its primary's log (null when none is due). */
  readonly catchUpTimer: TimerHandle | null;
  // Written by the fluid flow (src/cluster/traffic/): rates piecewise constant between events
  // (requests per second, milliseconds), and counters integrated exactly up to countedAtMs.
  readonly servedRps: number;
  readonly failedRps: number;
  /** Mean response time of what it serves, ms (backlog delay, queueing and service). */
  readonly latencyMs: number;
  /** 99th percentile of its response time, ms (0 while it serves nothing). */
  readonly latencyP99Ms: number;
  /** Requests waiting for a worker (the fluid backlog, at countedAtMs). */
  readonly backlog: number;
  /** Served requests per second whose client had already given up (a share of servedRps). */
  readonly timeoutRps: number;
  readonly utilisation: number;
  readonly countedAtMs: number;
  readonly servedTotal: number;
  readonly failedTotal: number;
  readonly latencyTotal: number;
  // Written by the monitoring system (src/cluster/monitoring.ts): the last scrape, filled in place (no
  // allocation per scrape), and the counters it was taken from. Kept on the record, not in a table of its
  // own: the scrape of every replica is the hot path, and a lookup per replica cost a fifth of a run.
  readonly scrape: ReplicaScrape | null;
  readonly baseAtMs: number;
  readonly baseServed: number;
  readonly baseFailed: number;
  readonly baseLatency: number;
  // Written by the process model (src/cluster/replicas/process-state.ts): what runs inside the container.
  /** The version (deploy revision) the replica runs: declared state, as a Deployment's pod template says. */
  readonly version: number;
  /** The version it ran before its last deploy (equal to `version` when it was never redeployed). */
  readonly previousVersion: number;
  /** Container restarts since the pod was created (kube-state-metrics' restart count). */
  readonly restarts: number;
  /** Why its container last ended (the pod status' `lastState.terminated.reason`), or null. */
  readonly lastTermination: Termination | null;
  /** When its container last ended; -1 if never. */
  readonly lastTerminationAtMs: number;
  /** The process runs but answers nothing (a deadlock): requests to it time out, its probes fail. */
  readonly hung: boolean;
  /** Multiplier on its service time from the build it runs (a bad deploy); 1 normally. */
  readonly processLatencyFactor: number;
  /** Share of the requests it serves that its build answers with an error (a bad deploy); 0 normally. */
  readonly processErrorRate: number;
  /** Container working set when it last changed course, MB (cAdvisor's `container_memory_working_set_bytes`). */
  readonly memoryMb: number;
  /** Since when the working set grows at `memoryGrowthMbPerMs` from `memoryMb`. */
  readonly memorySinceMs: number;
  readonly memoryGrowthMbPerMs: number;
  /** The container's next exit (a crash-looping build's, or the OOM kill of a leak), if one is due. */
  readonly exitTimer: TimerHandle | null;
  /** Whether the container has started once (so a later start is a restart). */
  readonly startedOnce: boolean;
}

/** Per-service state, read-only outside its owners. */
export interface ServiceRuntime {
  readonly index: number;
  readonly spec: ServiceSpec;
  // Written by the replica life cycle (src/cluster/replicas/).
  readonly replicas: readonly Replica[];
  readonly nextReplicaNumber: number;
  // Written by the fluid flow (src/cluster/traffic/).
  readonly offeredRps: number;
  readonly writeRatio: number;
  /** Fraction of offered load rejected at the door by load shedding. */
  readonly shedFraction: number;
  /** Users' requests per second before retries, after shedding (what the clients originate). */
  readonly originalRps: number;
  /** Retry attempts per second the clients add on top of originalRps. */
  readonly retryRps: number;
  readonly servedRps: number;
  /** Requests per second answered within their client's timeout (served minus timed out). */
  readonly goodputRps: number;
  /** Attempts per second the clients saw time out (answered late; the server still did the work). */
  readonly timeoutRps: number;
  /** Attempts per second turned away by a full queue (replicas' backlog at queueLimit). */
  readonly rejectedRps: number;
  /** Requests queued over all replicas. */
  readonly backlog: number;
  /** Mean response time of served requests, ms. */
  readonly latencyMs: number;
  /** Median response time over the replicas' mixture, ms (0 while nothing is served). */
  readonly latencyP50Ms: number;
  /** 95th percentile response time over the replicas' mixture, ms (0 while nothing is served). */
  readonly latencyP95Ms: number;
  /** 99th percentile response time over the replicas' mixture, ms (0 while nothing is served). */
  readonly latencyP99Ms: number;
  /** Ground truth: the service serves what a healthy cluster would. */
  readonly levelOk: boolean;
  readonly countedAtMs: number;
  readonly offeredTotal: number;
  readonly servedTotal: number;
  readonly latencyTotal: number;
  /** Requests answered in time, integrated like servedTotal. */
  readonly goodputTotal: number;
  /** Attempts timed out, integrated like servedTotal. */
  readonly timeoutTotal: number;
  /** Retry attempts, integrated like servedTotal. */
  readonly retryTotal: number;
  /** Attempts rejected by a full queue, integrated like servedTotal. */
  readonly rejectedTotal: number;
  /** Writes routed to the primary (the admitted load's write share while the service is writable). */
  readonly writeRps: number;
  /** Writes the primary's queue serves, all of them committed to its log (a late one too: the work was done). */
  readonly writeAckRps: number;
  // Written by the call graph (src/cluster/traffic/call-graph.ts); all 0 or empty in a world without calls.
  /** The services this one calls, one edge per `calls` entry, in the scenario's order. */
  readonly calls: readonly CallEdge[];
  /** The edges that call this service. */
  readonly callers: readonly CallEdge[];
  /** Call attempts per second its callers send it (a share of offeredRps, which counts them). */
  readonly callRps: number;
  /** Mean time one request's calls hold a worker, ms (perRequest x each call's mean, summed over callees). */
  readonly callHoldMs: number;
  /** The same on an idle call path (each callee at its own service time): what `capacityRps` was declared at. */
  readonly idleCallHoldMs: number;
  /** Probability that a request it serves fails because a call without a fallback failed. */
  readonly callFailure: number;
  /** Probability that a request it serves well used at least one fallback (a degraded success). */
  readonly callDegraded: number;
  /** Requests per second answered in time but degraded by a fallback (a share of goodputRps). */
  readonly degradedRps: number;
  /** Degraded answers, integrated like servedTotal. */
  readonly degradedTotal: number;
  // Written by replication (src/cluster/replication/); stateful services only.
  readonly primary: Replica | null;
  readonly writable: boolean;
  /** Acknowledged writes in the primary's log at countedAtMs. */
  readonly committed: number;
  readonly lostWrites: number;
}

/**
 * One call edge at run time: its declared spec, a `dependency-failure` fault's errors and latency on it, the
 * circuit breaker's state, and what the caller sees of its calls (rates per second, ms, probabilities), as a
 * service mesh's per source/destination metrics would report them. Written by the call graph only.
 */
export interface CallEdge {
  readonly spec: CallSpec;
  readonly caller: ServiceRuntime;
  readonly callee: ServiceRuntime;
  /** Share of attempts a fault aborts before they reach the callee (Envoy's fault-injection abort). */
  readonly faultErrorRate: number;
  /** Latency a fault adds to every attempt, ms (Envoy's fault-injection delay). */
  readonly faultLatencyMs: number;
  /** An open circuit fails every call at once: no attempt reaches the callee, no worker waits. */
  readonly circuitOpen: boolean;
  /** Calls per second (caller's served requests x perRequest). */
  readonly callRps: number;
  /** Attempts per second that reach the callee (retries included, aborted ones and open circuits not). */
  readonly attemptRps: number;
  /** Probability one attempt fails (aborted, rejected, unanswered or answered after the timeout). */
  readonly attemptFailure: number;
  /** Probability one call fails after all its attempts. */
  readonly callFailure: number;
  /** Share of calls whose last attempt timed out. */
  readonly timeoutShare: number;
  /** Mean time one call takes, its attempts together, ms. */
  readonly callMs: number;
  readonly countedAtMs: number;
  readonly callTotal: number;
  readonly failedTotal: number;
  readonly timeoutTotal: number;
  readonly latencyTotal: number;
}
