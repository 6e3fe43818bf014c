import type { FaultKind } from '../chaos/spec.ts';
import type { RunResult } from '../scenario/runner.ts';
import { exemptFaults, recoveryCounts } from '../scenario/slo-evaluation.ts';

/**
 * One fault of one run, as the benchmark keeps it. A fault that hurt the service level and was never detected
 * (or never recovered) counts as a miss in the distributions, with two exceptions that follow the SLO
 * verdict's: a fault still open at the end of the run but younger than the scenario's SLO target was not
 * given its time (censored), and an undetected fault whose harm was over within the detection target left
 * nothing to detect (a blip the load balancer absorbed). Both are left out rather than counted either way.
 */
export interface FaultDigest {
  readonly kind: FaultKind;
  readonly impact: boolean;
  /** Injection to first detection; null when not detected. */
  readonly mttdMs: number | null;
  /** From when it first hurt to when the level was back and holding; 0 without impact, null if never. */
  readonly mttrMs: number | null;
  /** Undetected, but censored by the end of the run or healed before there was anything to detect. */
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
  const measures = new Map(outcome.measures.map((m) => [m.id as string, m]));
  const detectionExempt = exemptFaults('detection', scenario.slo.detectionMs ?? DEFAULT_GRACE_MS, outcome);
  const recoveryExempt = exemptFaults('recovery', scenario.slo.recoveryMs ?? DEFAULT_GRACE_MS, outcome);
  const faults = outcome.faults.map((f): FaultDigest => {
    const m = measures.get(f.id);
    // measureFaults gives every fault its measures: a missing one is a bug, not a run outcome.
    if (m === undefined) throw new Error(`fault ${f.id} has no measures`);
    return {
      kind: f.kind,
      impact: m.impact,
      mttdMs: m.mttdMs,
      mttrMs: m.mttrMs,
      detectionExempt: m.impact && detectionExempt.has(f.id),
      recoveryCensored: m.impact && recoveryExempt.has(f.id),
    };
  });
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
