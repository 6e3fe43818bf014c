import type { FaultRecord } from '../chaos/ground-truth.ts';
import type { UpcomingFault } from '../chaos/upcoming.ts';
import type { ActionOutcome, ActionRequest } from '../cluster/actions.ts';
import type { Sensors } from '../cluster/sensors.ts';
import type { EffectorSpec, LoadBalancerSpec } from '../cluster/spec.ts';
import type { LbMembership } from '../cluster/traffic/readiness.ts';
import type { DetectionReport } from '../measures/fault-measures.ts';
import type { SimKernel } from '../sim/kernel.ts';
import type { RandomStream, StreamName } from '../sim/random-streams.ts';
import type { TraceEvent } from '../sim/trace.ts';

/** The only way a controller acts on the cluster. */
export interface ControllerEffectors {
  /** Starts an action; `onDone` gets its outcome at completion, in sim time. Returns the action id. */
  execute(request: ActionRequest, onDone?: (outcome: ActionOutcome) => void): number;
}

/**
 * Everything a controller gets from the world: the clock, its sensors and effectors, named random streams,
 * the trace, and a place to report detections (how MTTD is measured). No ground truth.
 */
export interface ControllerContext {
  /** The simulation clock: read `nowMs`, schedule with `after`/`at`, and build an XState clock from it. */
  readonly kernel: SimKernel;
  readonly sensors: Sensors;
  readonly effectors: ControllerEffectors;
  readonly random: (name: StreamName) => RandomStream;
  readonly trace: (event: TraceEvent) => void;
  /** Records that the controller has noticed a failure of `component`. */
  readonly reportDetection: (report: Omit<DetectionReport, 'by' | 'atMs'>) => void;
}

/** The model's own timings: what each action takes and how far the load balancer trails the truth. */
export interface ModelTimings {
  /** Action durations (boot, replica start, promotion, reconfiguration, raise-limit). */
  readonly effectors: EffectorSpec;
  /** The active health checks: a replica joins after `healthyThreshold` passed checks, one per interval. */
  readonly loadBalancer: LoadBalancerSpec;
}

/**
 * Ground truth, offered only to controllers that declare they need it: the oracle bound, nothing else. Each
 * fault as it lands (with its resolved parameters, its duration among them), the timeline's faults still to
 * come, and the model's timings.
 */
export interface GroundTruthFeed {
  onInjected(listener: (record: FaultRecord) => void): void;
  /** The timeline's faults that have not landed yet, earliest first (random generators' are not known ahead). */
  upcoming(): readonly UpcomingFault[];
  readonly timings: ModelTimings;
}

/** What a controller reports about itself after a run, for SLOs on the control plane and for reports. */
export interface ControllerSummary {
  /** Control cycles completed (0 for event-driven baselines). */
  readonly cycles: number;
  /** Longest time a cycle spent in each phase, in sim ms (MAPE-K only). */
  readonly phaseMaxMs?: { readonly analysis: number; readonly planning: number; readonly execution: number };
  /** Cycles cut off by the max cycle time. */
  readonly cycleTimeouts?: number;
}

/** A policy driving the cluster: the MAPE-K loop or a baseline. */
export interface Controller {
  readonly name: string;
  /** Set only by the oracle: it reads ground truth, which makes it a bound rather than a policy. */
  readonly readsGroundTruth?: boolean;
  /**
   * How the load balancer's membership follows the replicas under this controller: `active-health-checks`
   * (the default) or `endpoints`, a Kubernetes Service's (readiness probes; a pod on a silent node stays
   * until the controller drains the node). Read once, when the controller is attached.
   */
  readonly lbMembership?: LbMembership;
  start(ctx: ControllerContext, groundTruth?: GroundTruthFeed): void;
  stop?(): void;
  summary?(): ControllerSummary;
  /** What the controller has learned, as plain JSON-ready data to save after a run (MAPE-K only). */
  exportKnowledge?(): unknown;
}
