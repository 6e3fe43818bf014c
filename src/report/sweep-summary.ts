import { type Distribution, distributionOf } from '../measures/distribution.ts';
import type { SloName, SloResult } from '../scenario/slo-evaluation.ts';
import type { Journal } from './journal.ts';

/** How one SLO fared over the seeds of a sweep. */
export interface SloSweep {
  readonly name: SloName;
  readonly comparison: SloResult['comparison'];
  readonly unit: SloResult['unit'];
  readonly target: number;
  /** Seeds on which it was missed, in run order. */
  readonly missedOn: readonly number[];
  /** The worst actual value measured over the seeds (null when none was). */
  readonly worst: number | null;
  /** On some seed a judged fault was never detected or never recovered. */
  readonly neverReached: boolean;
}

/** One scenario over many seeds. */
export interface SweepSummary {
  readonly scenario: string;
  readonly policy: string;
  readonly seeds: readonly number[];
  readonly failedSeeds: readonly number[];
  /** Pooled over every impactful fault of every seed. */
  readonly mttd: Distribution;
  readonly mttr: Distribution;
  readonly availabilityMin: number;
  readonly slos: readonly SloSweep[];
  readonly verdict: 'pass' | 'fail';
}

const worse = (a: number | null, b: number | null, comparison: '<=' | '>='): number | null => {
  if (a === null) return b;
  if (b === null) return a;
  return comparison === '<=' ? Math.max(a, b) : Math.min(a, b);
};

/**
 * Folds the journals of one scenario's seeds into distributions: MTTD and MTTR pooled over every impactful
 * fault of every seed (p50/p95/p99/max, never a mean), and each SLO's misses. A scenario fails if any seed
 * fails.
 */
export const summarizeSweep = (journals: readonly Journal[]): SweepSummary => {
  const first = journals[0];
  const mttd: number[] = [];
  const mttr: number[] = [];
  for (const j of journals) {
    for (const f of j.faults) {
      if (!f.impact) continue;
      if (f.mttdMs !== null) mttd.push(f.mttdMs);
      if (f.mttrMs !== null) mttr.push(f.mttrMs);
    }
  }
  const slos = new Map<SloName, SloSweep>();
  for (const j of journals) {
    for (const s of j.slos) {
      const prev = slos.get(s.name);
      slos.set(s.name, {
        name: s.name,
        comparison: s.comparison,
        unit: s.unit,
        target: s.target,
        missedOn: s.pass ? (prev?.missedOn ?? []) : [...(prev?.missedOn ?? []), j.seed],
        worst: worse(prev?.worst ?? null, s.actual, s.comparison),
        neverReached: (prev?.neverReached ?? false) || (!s.pass && s.actual === null),
      });
    }
  }
  const failedSeeds = journals.filter((j) => j.verdict === 'fail').map((j) => j.seed);
  return {
    scenario: first?.scenario.name ?? '',
    policy: first?.policy ?? '',
    seeds: journals.map((j) => j.seed),
    failedSeeds,
    mttd: distributionOf(mttd),
    mttr: distributionOf(mttr),
    availabilityMin: Math.min(...journals.map((j) => j.summary.availability)),
    slos: [...slos.values()],
    verdict: failedSeeds.length > 0 ? 'fail' : 'pass',
  };
};
