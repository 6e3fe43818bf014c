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

/** The units of a `detection` or `recovery` SLO, and the faults it does not judge at all (harmless ones). */
export interface JudgedUnits {
  readonly units: readonly JudgedUnit[];
  readonly harmless: readonly FaultId[];
}

const detectedAfter = (detectedAtMs: number | null, startMs: number): number | null =>
  detectedAtMs === null ? null : Math.max(0, detectedAtMs - startMs);

/**
 * Splits a run's faults into what a per-fault SLO judges (the rules, with worked examples, are in
 * docs/architecture.md, "Measures"):
 * - a fault that did harm (impact, or lasting damage) is judged, detected or not: its harm starts when it
 *   first took the level out, or at its injection when it only left damage;
 * - detection of faults that landed in the same millisecond: their shared first dip is one incident, detected
 *   when any of them is named, from the dip; each of them is judged on its own too when it did harm of its
 *   own (a later dip nobody else can have caused, or lasting damage), from when that began. Recovery is
 *   judged per fault: each is recovered when the level is back for good after every dip it owns.
 */
export const judgedUnits = (
  name: 'detection' | 'recovery',
  measures: readonly FaultMeasures[],
  injectedAt: (id: FaultId) => number,
): JudgedUnits => {
  const units: JudgedUnit[] = [];
  const harmless: FaultId[] = [];
  const incidents = new Map<number, FaultMeasures[]>();
  for (const m of measures) {
    if (!isHarmful(m)) {
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
