import { type BenchJob, LEARNING_ARMS, type LearningArm } from './bench-job.ts';
import { faultTimes } from './recovery-table.ts';
import type { RunDigest } from './run-digest.ts';
import { type TimeDistribution, timeDistribution } from './time-distribution.ts';

/** How a learning curve is run: successive runs of one scenario, in several independent sequences. */
export interface LearningPlan {
  readonly file: string;
  /** Successive runs in one sequence (the knowledge file is carried from each to the next). */
  readonly runs: number;
  /** Independent sequences, on different seeds, pooled per run index. */
  readonly sequences: number;
}

/** The seeds of sequence `s` (0-based): distinct across sequences, the same for every arm. */
export const sequenceSeeds = (plan: LearningPlan, s: number): number[] =>
  Array.from({ length: plan.runs }, (_, i) => s * plan.runs + i + 1);

/** One job per arm and sequence. */
export const learningJobs = (plan: LearningPlan): BenchJob[] =>
  LEARNING_ARMS.flatMap((arm) =>
    Array.from({ length: plan.sequences }, (_, s) => ({
      kind: 'learning' as const,
      file: plan.file,
      arm,
      seeds: sequenceSeeds(plan, s),
    })),
  );

/** One arm at one point of the curve: the n-th run of every sequence, pooled. */
export interface LearningPoint {
  readonly mttr: TimeDistribution;
  /** Mean MTTR over the impactful faults that recovered (shown beside the percentiles, never alone). */
  readonly mttrMeanMs: number | null;
  readonly availabilityMean: number;
}

/** Whether carrying knowledge over paid, judged on every run after the first. */
export type LearningVerdict = 'pays' | 'no difference' | 'hurts';

/** The learning curve of one scenario. */
export interface LearningCurve {
  readonly scenario: string;
  readonly runs: number;
  readonly sequences: number;
  /** Per arm, one point per run index (1-based position = index + 1). */
  readonly points: Readonly<Record<LearningArm, readonly LearningPoint[]>>;
  /** Per arm, every run after the first, pooled: what carrying knowledge is for. */
  readonly afterFirst: Readonly<Record<LearningArm, LearningPoint>>;
  readonly verdict: LearningVerdict;
  /** Carried over frozen, MTTR p50 and p95 over the runs after the first (1 = the same). */
  readonly carriedVsFrozen: { readonly p50: number | null; readonly p95: number | null };
}

/** A change smaller than this share is no difference: recovery times move by a few ms with phase luck. */
const MATERIAL = 0.05;

const point = (runs: readonly RunDigest[]): LearningPoint => {
  const times = faultTimes(runs, 'mttr');
  const recovered = times.filter((t): t is number => typeof t === 'number');
  return {
    mttr: timeDistribution(times),
    mttrMeanMs: recovered.length === 0 ? null : recovered.reduce((a, b) => a + b, 0) / recovered.length,
    availabilityMean: runs.length === 0 ? 0 : runs.reduce((a, r) => a + r.availability, 0) / runs.length,
  };
};

const ratio = (a: number | 'never' | null, b: number | 'never' | null): number | null =>
  typeof a === 'number' && typeof b === 'number' && b > 0 ? Number((a / b).toFixed(3)) : null;

/**
 * Folds the sequences of every arm into the curve. Learning pays when, after the first run, the carried arm's
 * MTTR p50 and p95 are both no worse than the frozen arm's and one is lower by at least 5 %; it hurts when
 * either is higher by 5 % or more; anything else is no difference.
 */
export const learningCurve = (
  scenario: string,
  plan: LearningPlan,
  sequences: ReadonlyMap<LearningArm, readonly (readonly RunDigest[])[]>,
): LearningCurve => {
  const points = {} as Record<LearningArm, LearningPoint[]>;
  const afterFirst = {} as Record<LearningArm, LearningPoint>;
  for (const arm of LEARNING_ARMS) {
    const seqs = sequences.get(arm) ?? [];
    points[arm] = Array.from({ length: plan.runs }, (_, i) =>
      point(seqs.flatMap((runs) => (runs[i] === undefined ? [] : [runs[i]]))),
    );
    afterFirst[arm] = point(seqs.flatMap((runs) => runs.slice(1)));
  }
  const p50 = ratio(afterFirst.carried.mttr.p50Ms, afterFirst.frozen.mttr.p50Ms);
  const p95 = ratio(afterFirst.carried.mttr.p95Ms, afterFirst.frozen.mttr.p95Ms);
  const worse = [p50, p95].some((r) => r !== null && r >= 1 + MATERIAL);
  const better =
    [p50, p95].every((r) => r !== null && r <= 1) && [p50, p95].some((r) => r !== null && r <= 1 - MATERIAL);
  return {
    scenario,
    runs: plan.runs,
    sequences: plan.sequences,
    points,
    afterFirst,
    verdict: worse ? 'hurts' : better ? 'pays' : 'no difference',
    carriedVsFrozen: { p50, p95 },
  };
};
