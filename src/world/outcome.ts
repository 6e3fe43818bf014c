import type { FaultRecord } from '../chaos/ground-truth.ts';
import type { ActionRecord } from '../cluster/effectors.ts';
import { type DetectionReport, type FaultMeasures, measureFaults } from '../measures/fault-measures.ts';
import { type Incident, incidentsOf } from '../measures/incidents.ts';
import type { EndState } from '../measures/lasting-damage.ts';
import type { DegradationPeak, LatencyPeak, LevelChange } from '../measures/service-level.ts';

/** Ground-truth results of a run, as every report and benchmark reads them. */
export interface WorldOutcome {
  readonly endMs: number;
  readonly faults: readonly FaultRecord[];
  readonly measures: readonly FaultMeasures[];
  /** The faults grouped into outages (same instant, or one continuous outage of a node): what distributions count. */
  readonly incidents?: readonly Incident[];
  /** Attempts completed over attempts made (users' requests and retries), all services, whole run. */
  readonly availability: number;
  readonly maxDegradation: DegradationPeak;
  /** Users' requests answered within their client's timeout over users' requests offered, whole run. */
  readonly goodput?: number;
  /** The worst service's served-weighted mean over the run of its instantaneous p50 and p99 latency. */
  readonly latencyPeaks?: { readonly p50: LatencyPeak; readonly p99: LatencyPeak };
  /** Acknowledged writes lost by failovers. */
  readonly lostWrites: number;
  /** Time with two primaries of one service accepting writes. */
  readonly splitBrainMs: number;
  readonly actions: readonly ActionRecord[];
  readonly actionCost: number;
  readonly levelChanges: readonly LevelChange[];
  readonly traceHash: string;
  readonly events: number;
}

/**
 * What the outcome is computed from, gathered by the world at the end of a run: plain values and the
 * records the recorders kept, so the measures need nothing but data (and no world to test them).
 */
export interface OutcomeInputs {
  readonly endMs: number;
  readonly faults: readonly FaultRecord[];
  readonly actions: readonly ActionRecord[];
  readonly detections: readonly DetectionReport[];
  readonly levelChanges: readonly LevelChange[];
  readonly availability: number;
  readonly maxDegradation: DegradationPeak;
  readonly goodput?: number;
  readonly latencyPeaks?: { readonly p50: LatencyPeak; readonly p99: LatencyPeak };
  readonly lostWrites: number;
  readonly splitBrainMs: number;
  readonly traceHash: string;
  readonly events: number;
  /** How long the level must hold healthy for a recovery to count (`measurement.recoveryHold`). */
  readonly recoveryHoldMs: number;
  /** The cluster's ground truth at the end, that lasting damage is judged on. */
  readonly end: EndState;
}

/** Computes the outcome of a run from what its world recorded. */
export const worldOutcome = (inputs: OutcomeInputs): WorldOutcome => {
  const measures = measureFaults({
    faults: inputs.faults,
    levelChanges: inputs.levelChanges,
    detections: inputs.detections,
    actions: inputs.actions,
    endMs: inputs.endMs,
    holdMs: inputs.recoveryHoldMs,
    end: inputs.end,
  });
  return {
    endMs: inputs.endMs,
    faults: inputs.faults,
    measures,
    incidents: incidentsOf(inputs.faults, measures),
    availability: inputs.availability,
    maxDegradation: inputs.maxDegradation,
    ...(inputs.goodput === undefined ? {} : { goodput: inputs.goodput }),
    ...(inputs.latencyPeaks === undefined ? {} : { latencyPeaks: inputs.latencyPeaks }),
    lostWrites: inputs.lostWrites,
    splitBrainMs: inputs.splitBrainMs,
    actions: inputs.actions,
    actionCost: inputs.actions.reduce((sum, a) => sum + a.cost, 0),
    levelChanges: inputs.levelChanges,
    traceHash: inputs.traceHash,
    events: inputs.events,
  };
};
