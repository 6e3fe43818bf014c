import type { FaultId } from '../chaos/ground-truth.ts';
import { type FaultMeasures, isHarmful } from './fault-measures.ts';

/**
 * What a per-fault deadline SLO judges: a harmful fault on its own, or, for the dip shared by faults that
 * landed in the same millisecond, the incident they form. Its deadline runs from `startMs`.
 */
export interface JudgedUnit {
  /** The faults judged together (one, or every fault that shared the dip). */
  readonly ids: readonly FaultId[];
  /** When the harm judged began: the deadline is `startMs + target`. */
  readonly startMs: number;
  /** Detection or recovery time from `startMs`; null when it never happened. */
  readonly value: number | null;
}

/** The units of a `detection` or `recovery` SLO, and the faults it does not judge at all. */
export interface JudgedUnits {
  readonly units: readonly JudgedUnit[];
  /** Harmless faults, and (detection) transient ones that came and went by themselves, unseen. */
  readonly harmless: readonly FaultId[];
}

/** When a fault landed and when its own condition ended (null: still in effect at the end). */
export interface FaultLife {
  readonly injectedAtMs: number;
  readonly clearedAtMs: number | null;
}

/**
 * A fault over by itself before anyone could be asked to see it: undetected, no lasting damage, its own
 * condition cleared (it expired; nothing repaired it) and the level back, both within the detection target
 * of its landing. A two-second partition heals before a 1 s heartbeat detector with k = 3 can fire; a fault
 * still in effect, or one that left a node down, is never this, however short its dip.
 */
const cameAndWent = (m: FaultMeasures, life: FaultLife | undefined, targetMs: number): boolean =>
  life !== undefined &&
  m.detectedAtMs === null &&
  (m.damage?.length ?? 0) === 0 &&
  life.clearedAtMs !== null &&
  m.recoveredAtMs !== null &&
  Math.max(life.clearedAtMs, m.recoveredAtMs) <= life.injectedAtMs + targetMs;

const detectedAfter = (detectedAtMs: number | null, startMs: number): number | null =>
  detectedAtMs === null ? null : Math.max(0, detectedAtMs - startMs);

/**
 * Splits a run's faults into what a per-fault SLO judges (the rules, with worked examples, are in
 * docs/architecture.md, "Measures"):
 * - a fault that did harm (impact, or lasting damage) is judged, detected or not: its harm starts when it
 *   first took the level out, or at its injection when it only left damage; the one exception, for
 *   detection, is a transient fault that came and went by itself, unseen (`cameAndWent`);
 * - detection of faults that landed in the same millisecond: their shared first dip is one incident, detected
 *   when any of them is named, from the dip; each of them is judged on its own too when it did harm of its
 *   own (a later dip nobody else can have caused, or lasting damage), from when that began. Recovery is
 *   judged per fault: each is recovered when the level is back for good after every dip it owns.
 */
export const judgedUnits = (
  name: 'detection' | 'recovery',
  measures: readonly FaultMeasures[],
  lifeOf: (id: FaultId) => FaultLife | undefined,
  targetMs: number,
): JudgedUnits => {
  const units: JudgedUnit[] = [];
  const harmless: FaultId[] = [];
  const incidents = new Map<number, FaultMeasures[]>();
  const injectedAt = (id: FaultId) => lifeOf(id)?.injectedAtMs ?? 0;
  for (const m of measures) {
    if (!isHarmful(m) || (name === 'detection' && cameAndWent(m, lifeOf(m.id), targetMs))) {
      harmless.push(m.id);
      continue;
    }
    const startMs = m.impactStartMs ?? injectedAt(m.id);
    if (name === 'recovery') {
      units.push({ ids: [m.id], startMs, value: m.mttrMs });
      continue;
    }
    const shared = (m.sharedWith?.length ?? 0) > 0 && m.impactStartMs !== null;
    if (!shared) {
      units.push({ ids: [m.id], startMs, value: detectedAfter(m.detectedAtMs, startMs) });
      continue;
    }
    const at = injectedAt(m.id);
    incidents.set(at, [...(incidents.get(at) ?? []), m]);
    const own = m.ownImpactStartMs ?? ((m.damage?.length ?? 0) > 0 ? at : null);
    if (own !== null) units.push({ ids: [m.id], startMs: own, value: detectedAfter(m.detectedAtMs, own) });
  }
  for (const members of incidents.values()) {
    const startMs = Math.min(...members.map((m) => m.impactStartMs ?? Number.POSITIVE_INFINITY));
    const detected = members.map((m) => m.detectedAtMs).filter((t): t is number => t !== null);
    const first = detected.length === 0 ? null : Math.min(...detected);
    units.push({ ids: members.map((m) => m.id), startMs, value: detectedAfter(first, startMs) });
  }
  return { units, harmless };
};
