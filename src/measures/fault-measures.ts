import type { FaultId, FaultRecord } from '../chaos/ground-truth.ts';
import type { ActionRecord } from '../cluster/effectors.ts';
import { type EndState, type LastingDamage, lastingDamage, UNDAMAGED } from './lasting-damage.ts';
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
  /** Damage the fault left at the end of the run (see `lastingDamage`); empty or absent when none. */
  readonly damage?: readonly LastingDamage[];
  /**
   * Faults that landed in the same millisecond: the level cannot tell their first dip apart, so it is the
   * incident's, shared (absent or empty when the fault landed alone).
   */
  readonly sharedWith?: readonly FaultId[];
  /**
   * With `sharedWith`: the first dip the fault owns on its own, after the shared one (a leak that ran the
   * node out of memory minutes after a partition that landed with it); null when it has none.
   */
  readonly ownImpactStartMs?: number | null;
  /** When the service level first left its healthy range (null without impact). */
  readonly impactStartMs: number | null;
  readonly detectedAtMs: number | null;
  readonly diagnosis: string | null;
  /** Detection time: injection to the first detection naming one of the fault's components. */
  readonly mttdMs: number | null;
  /**
   * When the level was back for good and held for the hold period (the injection time without impact); null
   * when it never was, or when the fault left a node down or a replica lost at the end: not recovered.
   */
  readonly recoveredAtMs: number | null;
  /** Recovery time: from when the fault started to hurt to recovery; 0 when harmless; null if never. */
  readonly mttrMs: number | null;
  /** Actions whose target is one of the fault's components, started between injection and recovery. */
  readonly actions: readonly ActionRecord[];
}

/**
 * Whether a fault did harm: it took the level out (`impact`) or left lasting damage. A harmful fault is judged
 * by the detection and recovery SLOs whether or not anybody detected it.
 */
export const isHarmful = (m: Pick<FaultMeasures, 'impact' | 'damage'>): boolean =>
  m.impact || (m.damage?.length ?? 0) > 0;

/** What the measures need to know about the run. */
export interface MeasureInputs {
  readonly faults: readonly FaultRecord[];
  readonly levelChanges: readonly LevelChange[];
  readonly detections: readonly DetectionReport[];
  readonly actions: readonly ActionRecord[];
  readonly endMs: number;
  /** How long the level must stay healthy for a recovery to count. */
  readonly holdMs: number;
  /** Ground truth at the end, for lasting damage; without it, nothing counts as damaged. */
  readonly end?: EndState;
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

/**
 * Whether another fault landed in (after, upTo]. Strictly after: a fault that landed in the same millisecond
 * is not newer, so a dip at that instant belongs to both (they form one incident, see `incidents.ts`) and
 * neither takes the other's later harm away.
 */
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
 * The fault's impact episodes: the first dip it owns and every later dip it still owns, one after another. A
 * fault in effect keeps owning the dips that begin while it is (no newer fault having landed since it did):
 * a leak that shares a partition's dip at the instant both land, and takes the level out again when memory
 * runs short ten minutes later, owns that second dip too, and is recovered only after it. Returns the first
 * impact and the final recovery.
 */
const episodes = (
  input: MeasureInputs,
  f: FaultRecord,
  activeEnd: number,
  others: readonly number[],
): {
  readonly impactStartMs: number | null;
  readonly relapseMs: number | null;
  readonly recoveredAtMs: number | null;
} => {
  const changes = input.levelChanges;
  const impactStartMs = firstImpact(changes, f.injectedAtMs, activeEnd, others);
  if (impactStartMs === null) return { impactStartMs, relapseMs: null, recoveredAtMs: f.injectedAtMs };
  let recoveredAtMs = firstRecovery(changes, impactStartMs, input.holdMs, input.endMs, others);
  let relapseMs: number | null = null;
  while (recoveredAtMs !== null) {
    const from = recoveredAtMs;
    const relapse = changes.find((c) => !c.ok && c.atMs > from && c.atMs <= activeEnd);
    if (relapse === undefined || landedIn(others, f.injectedAtMs, relapse.atMs)) break;
    relapseMs ??= relapse.atMs;
    recoveredAtMs = firstRecovery(changes, relapse.atMs, input.holdMs, input.endMs, others);
  }
  return { impactStartMs, relapseMs, recoveredAtMs };
};

/** Damage that means the fault was never recovered from, whatever the level did. */
const UNRECOVERED: ReadonlySet<LastingDamage> = new Set(['node-down', 'replica-lost']);

/**
 * Detection and recovery of every fault, from the ground-truth level timeline, the controller's detection
 * reports and the state the run ended in. Defined once here and used by every report, benchmark and
 * property; the rules are written down, with worked examples, in docs/architecture.md ("Measures").
 */
export const measureFaults = (input: MeasureInputs): FaultMeasures[] => {
  const windows = new Map<FaultRecord, { activeEnd: number; others: number[] }>();
  for (const f of input.faults) {
    const others = input.faults.filter((g) => g !== f).map((g) => g.injectedAtMs);
    windows.set(f, { activeEnd: f.clearedAtMs ?? input.endMs, others });
  }
  const timed = input.faults.map((f) => {
    const w = windows.get(f) ?? { activeEnd: input.endMs, others: [] };
    const e = episodes(input, f, w.activeEnd, w.others);
    const windowEnd = Math.max(w.activeEnd, e.recoveredAtMs ?? input.endMs);
    const components = new Set<string>(f.components);
    const actions = input.actions.filter(
      (a) =>
        a.startedAtMs >= f.injectedAtMs &&
        a.startedAtMs <= windowEnd &&
        actionTargets(a).some((t) => components.has(t)),
    );
    return { f, e, windowEnd, components, actions };
  });
  const actionsByFault = new Map(timed.map((t) => [t.f, t.actions]));
  const damageOf = lastingDamage(
    input.faults,
    input.end ?? UNDAMAGED,
    (f) => actionsByFault.get(f) ?? [],
    input.endMs,
  );
  return timed.map(({ f, e, windowEnd, components, actions }) => {
    const damage = damageOf.get(f) ?? [];
    const unrecovered = damage.some((d) => UNRECOVERED.has(d));
    const recoveredAtMs = unrecovered ? null : e.recoveredAtMs;
    const detection = input.detections.find(
      (d) => d.atMs >= f.injectedAtMs && d.atMs <= windowEnd && components.has(d.component),
    );
    const impact = e.impactStartMs !== null;
    const sharedWith = input.faults
      .filter((g) => g !== f && g.injectedAtMs === f.injectedAtMs)
      .map((g) => g.id);
    return {
      id: f.id,
      impact,
      damage,
      ...(sharedWith.length === 0 ? {} : { sharedWith, ownImpactStartMs: e.relapseMs }),
      impactStartMs: e.impactStartMs,
      detectedAtMs: detection?.atMs ?? null,
      diagnosis: detection?.diagnosis ?? null,
      mttdMs: detection === undefined ? null : detection.atMs - f.injectedAtMs,
      recoveredAtMs,
      mttrMs: recoveredAtMs === null ? null : e.impactStartMs === null ? 0 : recoveredAtMs - e.impactStartMs,
      actions,
    };
  });
};
