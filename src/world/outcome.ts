import type { FaultRecord } from '../chaos/ground-truth.ts';
import type { ActionRecord } from '../cluster/effectors.ts';
import { endStateOf } from '../measures/end-state.ts';
import { type FaultMeasures, measureFaults } from '../measures/fault-measures.ts';
import { type Incident, incidentsOf } from '../measures/incidents.ts';
import type { DegradationPeak, LevelChange } from '../measures/service-level.ts';
import type { World } from './world.ts';

/** Ground-truth results of a run, as every report and benchmark reads them. */
export interface WorldOutcome {
  readonly endMs: number;
  readonly faults: readonly FaultRecord[];
  readonly measures: readonly FaultMeasures[];
  /** The faults grouped into outages (same instant, or one continuous outage of a node): what distributions count. */
  readonly incidents?: readonly Incident[];
  /** Successful requests over offered requests, all services, whole run. */
  readonly availability: number;
  readonly maxDegradation: DegradationPeak;
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

/** Computes the outcome of a world at its current time. */
export const worldOutcome = (world: World): WorldOutcome => {
  const endMs = world.kernel.nowMs;
  const actions = world.effectors.ledger;
  const faults = world.chaos.records;
  const measures = measureFaults({
    faults,
    levelChanges: world.level.changes,
    detections: world.detections,
    actions,
    endMs,
    holdMs: world.spec.measurement.recoveryHoldMs,
    end: endStateOf(world.cluster, faults),
  });
  return {
    endMs,
    faults,
    measures,
    incidents: incidentsOf(faults, measures),
    availability: world.level.availability(),
    maxDegradation: world.level.maxDegradation(),
    lostWrites: world.cluster.services.reduce((sum, s) => sum + s.lostWrites, 0),
    splitBrainMs: world.cluster.splitBrainMs(endMs),
    actions,
    actionCost: actions.reduce((sum, a) => sum + a.cost, 0),
    levelChanges: world.level.changes,
    traceHash: world.trace.hash,
    events: world.kernel.firedCount,
  };
};
