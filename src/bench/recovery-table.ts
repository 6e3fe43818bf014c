import type { RunDigest } from './run-digest.ts';
import { type FaultTime, type TimeDistribution, timeDistribution } from './time-distribution.ts';

/**
 * A policy's MTTR p95 over the oracle's on the same faults. `n/a` when the oracle's p95 is no yardstick: it
 * prevented all impact (no impactful fault, or a p95 of 0) — a ratio to nothing is not infinity, it is
 * undefined. `never` when the policy's own p95 falls on a fault it never recovered. Null without an oracle row.
 */
export type OracleRatio = number | 'n/a' | 'never' | null;

/** One scenario under one policy, over every seed. */
export interface RecoveryRow {
  readonly scenario: string;
  readonly policy: string;
  readonly seeds: number;
  /** Faults injected over all seeds, and those that took the service level out of its healthy range. */
  readonly faults: number;
  readonly impactful: number;
  /** Over impactful faults: injection to first detection (blips healed before they could be seen left out). */
  readonly mttd: TimeDistribution;
  /** Over impactful faults: first harm to the level back and holding (`src/measures`). */
  readonly mttr: TimeDistribution;
  readonly mttrP95VsOracle: OracleRatio;
  /** Successful over offered requests, per run: the worst seed and the mean over seeds. */
  readonly availabilityMin: number;
  readonly availabilityMean: number;
  /** Impactful faults recovered within the scenario's recovery SLO, pooled over seeds (null: none judged). */
  readonly recoverySuccessRate: number | null;
  readonly recoveryJudged: number;
  /** Acknowledged writes lost, summed over seeds, and the most in one run. */
  readonly lostWritesTotal: number;
  readonly lostWritesMax: number;
  /** Every action the policy dispatched, per injected fault; and their cost (effector catalog units). */
  readonly actionsPerFault: number | null;
  readonly costPerFault: number | null;
  /** Seeds on which every SLO of the scenario was met. */
  readonly seedsPassing: number;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Every impactful fault's detection or recovery time, `excluded` where the SLO verdict would exempt it. */
export const faultTimes = (runs: readonly RunDigest[], which: 'mttd' | 'mttr'): FaultTime[] =>
  runs.flatMap((r) =>
    r.faults
      .filter((f) => f.impact)
      .map((f) => {
        const excluded = which === 'mttd' ? f.detectionExempt : f.recoveryCensored;
        return excluded ? 'excluded' : which === 'mttd' ? f.mttdMs : f.mttrMs;
      }),
  );

/** The ratio of a policy's MTTR p95 to the oracle's; see `OracleRatio`. */
export const oracleRatio = (policy: TimeDistribution, oracle: TimeDistribution | undefined): OracleRatio => {
  if (oracle === undefined) return null;
  const bound = oracle.p95Ms;
  if (oracle.count === 0 || bound === null || bound === 'never' || bound <= 0) return 'n/a';
  const mine = policy.p95Ms;
  if (mine === 'never') return 'never';
  return round((mine ?? 0) / bound, 2);
};

/** Folds the runs of one scenario and policy into a row (the oracle ratio is filled in by `recoveryRows`). */
export const recoveryRow = (runs: readonly RunDigest[]): RecoveryRow => {
  const first = runs[0];
  const faults = runs.reduce((n, r) => n + r.faults.length, 0);
  const judged = runs.reduce((n, r) => n + r.recoveryJudged, 0);
  const recovered = runs.reduce((n, r) => n + r.recoveredInTime, 0);
  const actions = runs.reduce((n, r) => n + r.actions, 0);
  const cost = runs.reduce((n, r) => n + r.actionCost, 0);
  const availability = runs.map((r) => r.availability);
  return {
    scenario: first?.scenario ?? '',
    policy: first?.policy ?? '',
    seeds: runs.length,
    faults,
    impactful: runs.reduce((n, r) => n + r.faults.filter((f) => f.impact).length, 0),
    mttd: timeDistribution(faultTimes(runs, 'mttd')),
    mttr: timeDistribution(faultTimes(runs, 'mttr')),
    mttrP95VsOracle: null,
    availabilityMin: availability.length === 0 ? 0 : Math.min(...availability),
    availabilityMean:
      availability.length === 0 ? 0 : availability.reduce((a, b) => a + b, 0) / availability.length,
    recoverySuccessRate: judged === 0 ? null : recovered / judged,
    recoveryJudged: judged,
    lostWritesTotal: runs.reduce((n, r) => n + r.lostWrites, 0),
    lostWritesMax: Math.max(0, ...runs.map((r) => r.lostWrites)),
    actionsPerFault: faults === 0 ? null : round(actions / faults, 2),
    costPerFault: faults === 0 ? null : round(cost / faults, 1),
    seedsPassing: runs.filter((r) => r.verdict === 'pass').length,
  };
};

/**
 * One row per scenario and policy, in the order given, each policy's MTTR p95 set against the oracle's on
 * the same scenario (same seeds, same fault schedules).
 */
export const recoveryRows = (
  digests: readonly RunDigest[],
  scenarios: readonly string[],
  policies: readonly string[],
): RecoveryRow[] => {
  const rows: RecoveryRow[] = [];
  for (const scenario of scenarios) {
    const byPolicy = new Map<string, RecoveryRow>();
    for (const policy of policies) {
      const runs = digests
        .filter((d) => d.scenario === scenario && d.policy === policy)
        .sort((a, b) => a.seed - b.seed);
      if (runs.length > 0) byPolicy.set(policy, recoveryRow(runs));
    }
    const oracle = byPolicy.get('oracle');
    for (const row of byPolicy.values()) {
      rows.push({ ...row, mttrP95VsOracle: oracleRatio(row.mttr, oracle?.mttr) });
    }
  }
  return rows;
};
