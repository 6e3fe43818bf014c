import type { FaultKind } from '../chaos/spec.ts';
import { incidentsOf } from '../measures/incidents.ts';
import type { RunResult } from '../scenario/runner.ts';
import { exemptFaults, recoveryCounts } from '../scenario/slo-evaluation.ts';

/**
 * One incident of one run (a fault, or faults that were one outage: src/measures/incidents.ts), as the
 * benchmark keeps it. An incident that did harm and was never detected (or never recovered) counts as a miss
 * in the distributions, except, as the SLO verdict has it, when it was still open at the end of the run but
 * younger than the scenario's SLO target: not given its time (censored), left out rather than counted.
 */
export interface FaultDigest {
  readonly kind: FaultKind;
  readonly impact: boolean;
  /** Injection to first detection; null when not detected. */
  readonly mttdMs: number | null;
  /** From when it first hurt to when the level was back and holding; 0 without impact, null if never. */
  readonly mttrMs: number | null;
  /** Undetected, but censored by the end of the run. */
  readonly detectionExempt: boolean;
  /** Still unrecovered at the end, but the end came too soon to call it a miss. */
  readonly recoveryCensored: boolean;
}

/** What the benchmark keeps of one run: small enough to send between processes by the thousand. */
export interface RunDigest {
  readonly scenario: string;
  readonly policy: string;
  readonly seed: number;
  readonly faults: readonly FaultDigest[];
  readonly availability: number;
  readonly lostWrites: number;
  /** Every action the controller dispatched in the run, and their total cost (effector catalog units). */
  readonly actions: number;
  readonly actionCost: number;
  /** Impactful faults judged for recovery success, and those recovered within the scenario's recovery SLO. */
  readonly recoveryJudged: number;
  readonly recoveredInTime: number;
  readonly verdict: 'pass' | 'fail';
  /** Kernel events fired. */
  readonly events: number;
}

/** How long an open fault is given before the benchmark calls it never detected or never recovered. */
const DEFAULT_GRACE_MS = 300_000;

/**
 * Folds a run into its digest. The measures are `src/measures`' own (through the run's outcome); the grace
 * for faults still open at the end is the scenario's SLO target for detection or recovery (5 minutes
 * without one), the same exemption the SLO verdict applies.
 */
export const digestRun = (run: RunResult): RunDigest => {
  const { outcome, scenario } = run;
  const detectionExempt = exemptFaults('detection', scenario.slo.detectionMs ?? DEFAULT_GRACE_MS, outcome);
  const recoveryExempt = exemptFaults('recovery', scenario.slo.recoveryMs ?? DEFAULT_GRACE_MS, outcome);
  // Distributions count incidents (src/measures/incidents.ts): one continuous outage is one sample.
  const incidents = outcome.incidents ?? incidentsOf(outcome.faults, outcome.measures);
  const faults = incidents.map(
    (i): FaultDigest => ({
      kind: i.kind,
      impact: i.harmful,
      mttdMs: i.mttdMs,
      mttrMs: i.mttrMs,
      detectionExempt: i.harmful && i.faults.every((id) => detectionExempt.has(id)),
      recoveryCensored: i.harmful && i.faults.every((id) => recoveryExempt.has(id)),
    }),
  );
  const counts = recoveryCounts(outcome, scenario.slo.recoveryMs);
  return {
    scenario: scenario.name,
    policy: run.policy,
    seed: run.seed,
    faults,
    availability: outcome.availability,
    lostWrites: outcome.lostWrites,
    actions: outcome.actions.length,
    actionCost: outcome.actionCost,
    recoveryJudged: counts.judged,
    recoveredInTime: counts.recovered,
    verdict: run.verdict,
    events: outcome.events,
  };
};
