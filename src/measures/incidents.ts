import type { FaultId, FaultRecord } from '../chaos/ground-truth.ts';
import type { FaultKind } from '../chaos/spec.ts';
import { type FaultMeasures, isHarmful } from './fault-measures.ts';

/**
 * One outage as a person on call lives it: faults that landed in the same millisecond (the level cannot tell
 * their damage apart), and faults that hit a node again before the outage an earlier fault caused there was
 * over (a node that crashes, reboots and crashes again while the service is still down is one outage, not
 * five). Distributions of MTTD and MTTR are over incidents; SLOs judge every fault.
 */
export interface Incident {
  /** The first fault's id. */
  readonly id: FaultId;
  /** Every fault of the incident, in injection order. */
  readonly faults: readonly FaultId[];
  /** The first fault's kind. */
  readonly kind: FaultKind;
  readonly injectedAtMs: number;
  /** Whether any of its faults took the level out. */
  readonly impact: boolean;
  /** Whether any of its faults did harm (impact or lasting damage). */
  readonly harmful: boolean;
  /** The earliest impact of its faults (null without impact). */
  readonly impactStartMs: number | null;
  /** First injection to the first detection naming any of its faults; null when none was detected. */
  readonly mttdMs: number | null;
  /** First harm to the last of its faults' recoveries; 0 when harmless; null when one never recovered. */
  readonly mttrMs: number | null;
}

/** Whether `later` hit a node of `earlier` before the outage `earlier` caused was over. */
const continues = (earlier: FaultRecord, m: FaultMeasures, later: FaultRecord): boolean =>
  isHarmful(m) &&
  later.targets.some((n) => earlier.targets.includes(n)) &&
  (m.recoveredAtMs === null || later.injectedAtMs < m.recoveredAtMs);

/** Groups the faults of a run into incidents (see {@link Incident}), in order of their first fault. */
export const incidentsOf = (
  faults: readonly FaultRecord[],
  measures: readonly FaultMeasures[],
): Incident[] => {
  const byId = new Map(measures.map((m) => [m.id as string, m]));
  const ordered = [...faults].sort((a, b) => a.injectedAtMs - b.injectedAtMs);
  const groups: FaultRecord[][] = [];
  const groupOf = new Map<FaultRecord, FaultRecord[]>();
  for (const f of ordered) {
    const joined = ordered.find((e) => {
      if (e === f || !groupOf.has(e)) return false;
      const m = byId.get(e.id);
      return e.injectedAtMs === f.injectedAtMs || (m !== undefined && continues(e, m, f));
    });
    const group = joined === undefined ? undefined : groupOf.get(joined);
    if (group === undefined) {
      const fresh = [f];
      groups.push(fresh);
      groupOf.set(f, fresh);
    } else {
      group.push(f);
      groupOf.set(f, group);
    }
  }
  return groups.map((g) => incidentOf(g, byId));
};

const incidentOf = (group: readonly FaultRecord[], byId: ReadonlyMap<string, FaultMeasures>): Incident => {
  const first = group[0] as FaultRecord;
  const ms = group.map((f) => byId.get(f.id)).filter((m): m is FaultMeasures => m !== undefined);
  const starts = ms.map((m) => m.impactStartMs).filter((t): t is number => t !== null);
  const detections = ms.map((m) => m.detectedAtMs).filter((t): t is number => t !== null);
  const recovered = ms.map((m) => m.recoveredAtMs).filter((t): t is number => t !== null);
  const impactStartMs = starts.length === 0 ? null : Math.min(...starts);
  const recoveredAtMs = recovered.length < ms.length ? null : Math.max(...recovered);
  const harmful = ms.some(isHarmful);
  return {
    id: first.id,
    faults: group.map((f) => f.id),
    kind: first.kind,
    injectedAtMs: first.injectedAtMs,
    impact: starts.length > 0,
    harmful,
    impactStartMs,
    mttdMs: detections.length === 0 ? null : Math.min(...detections) - first.injectedAtMs,
    mttrMs:
      recoveredAtMs === null ? null : impactStartMs === null ? 0 : Math.max(0, recoveredAtMs - impactStartMs),
  };
};
