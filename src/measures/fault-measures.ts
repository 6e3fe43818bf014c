import type { FaultId, FaultRecord } from '../chaos/ground-truth.ts';
import type { ActionRecord } from '../cluster/effectors.ts';
import type { LevelChange } from './service-level.ts';

/** A controller's claim that something failed: what MTTD is measured on. */
export interface DetectionReport {
  readonly atMs: number;
  /** The node, replica or service the controller names. */
  readonly component: string;
  /** The controller's diagnosis, in its own vocabulary (the loop uses `FailureType`). */
  readonly diagnosis: string;
  readonly by: string;
}

/** The measures of one fault, judged on ground truth. */
export interface FaultMeasures {
  readonly id: FaultId;
  /** Whether the service level left its healthy range while the fault was in effect. */
  readonly impact: boolean;
  /** When the service level first left its healthy range (null without impact). */
  readonly impactStartMs: number | null;
  readonly detectedAtMs: number | null;
  readonly diagnosis: string | null;
  /** Detection time: injection to the first detection naming one of the fault's components. */
  readonly mttdMs: number | null;
  /** When the level was back and held for the hold period (the injection time without impact). */
  readonly recoveredAtMs: number | null;
  /** Recovery time: from when the fault started to hurt to recovery; 0 without impact. */
  readonly mttrMs: number | null;
  /** Actions whose target is one of the fault's components, started between injection and recovery. */
  readonly actions: readonly ActionRecord[];
}

/** What the measures need to know about the run. */
export interface MeasureInputs {
  readonly faults: readonly FaultRecord[];
  readonly levelChanges: readonly LevelChange[];
  readonly detections: readonly DetectionReport[];
  readonly actions: readonly ActionRecord[];
  readonly endMs: number;
  /** How long the level must stay healthy for a recovery to count. */
  readonly holdMs: number;
}

/** The level at time `t`: the last change at or before `t` (healthy before the first). */
const levelAt = (changes: readonly LevelChange[], t: number): boolean => {
  let ok = true;
  for (const c of changes) {
    if (c.atMs > t) break;
    ok = c.ok;
  }
  return ok;
};

/** Whether another fault landed in (after, upTo]. */
const landedIn = (otherInjections: readonly number[], after: number, upTo: number): boolean =>
  otherInjections.some((at) => at > after && at <= upTo);

/**
 * First time in [from, to] at which the level is not healthy, or null. A dip that begins after another fault
 * landed is attributed to that newer fault, the most recent one: the level cannot tell whose damage it is,
 * and the newer fault is the likelier cause. `otherInjections` are the injection times of every other fault.
 */
const firstImpact = (
  changes: readonly LevelChange[],
  from: number,
  to: number,
  otherInjections: readonly number[],
): number | null => {
  if (!levelAt(changes, from)) return from;
  for (const c of changes) {
    if (c.atMs <= from || c.atMs > to || c.ok) continue;
    return landedIn(otherInjections, from, c.atMs) ? null : c.atMs;
  }
  return null;
};

/**
 * First time at or after `from` when the level is healthy and stays so for `holdMs` (or to the end). A dip
 * within the hold that starts after another fault landed is that fault's doing, not a relapse: it does not
 * undo the recovery. `otherInjections` are the injection times of every other fault.
 */
const firstRecovery = (
  changes: readonly LevelChange[],
  from: number,
  holdMs: number,
  endMs: number,
  otherInjections: readonly number[],
): number | null => {
  const candidates = [from, ...changes.filter((c) => c.atMs > from && c.ok).map((c) => c.atMs)];
  for (const t of candidates) {
    if (!levelAt(changes, t)) continue;
    const next = changes.find((c) => c.atMs > t && !c.ok);
    const held = next === undefined || next.atMs - t >= holdMs;
    const newFault = next !== undefined && landedIn(otherInjections, t, next.atMs);
    if (held || newFault) return t <= endMs ? t : null;
  }
  return null;
};

/** The components an action names: its replica, node and service (a promotion names a service and a replica). */
const actionTargets = (a: ActionRecord): string[] => {
  const r: { replica?: string; node?: string; service?: string } = a.request;
  return [r.replica, r.node, r.service].filter((x): x is string => x !== undefined);
};

/**
 * Detection and recovery of every fault, from the ground-truth level timeline and the controller's
 * detection reports. Defined once here and used by every report, benchmark and property.
 */
export const measureFaults = (input: MeasureInputs): FaultMeasures[] =>
  input.faults.map((f) => {
    const activeEnd = f.clearedAtMs ?? input.endMs;
    const others = input.faults.filter((g) => g !== f).map((g) => g.injectedAtMs);
    const impactStartMs = firstImpact(input.levelChanges, f.injectedAtMs, activeEnd, others);
    const recoveredAtMs =
      impactStartMs === null
        ? f.injectedAtMs
        : firstRecovery(input.levelChanges, impactStartMs, input.holdMs, input.endMs, others);
    const windowEnd = Math.max(activeEnd, recoveredAtMs ?? input.endMs);
    const components = new Set<string>(f.components);
    const detection = input.detections.find(
      (d) => d.atMs >= f.injectedAtMs && d.atMs <= windowEnd && components.has(d.component),
    );
    const actions = input.actions.filter(
      (a) =>
        a.startedAtMs >= f.injectedAtMs &&
        a.startedAtMs <= windowEnd &&
        actionTargets(a).some((t) => components.has(t)),
    );
    return {
      id: f.id,
      impact: impactStartMs !== null,
      impactStartMs,
      detectedAtMs: detection?.atMs ?? null,
      diagnosis: detection?.diagnosis ?? null,
      mttdMs: detection === undefined ? null : detection.atMs - f.injectedAtMs,
      recoveredAtMs,
      mttrMs: impactStartMs === null ? 0 : recoveredAtMs === null ? null : recoveredAtMs - impactStartMs,
      actions,
    };
  });
