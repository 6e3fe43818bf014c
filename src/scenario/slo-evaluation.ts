import type { FaultId } from '../chaos/ground-truth.ts';
import { type JudgedUnit, judgedUnits } from '../measures/judged-units.ts';
import type { ControllerSummary } from '../world/controller.ts';
import type { WorldOutcome } from '../world/outcome.ts';
import type { SloSpec } from './schema/slo.ts';

/** The SLO names, as the `slo` block of a scenario file spells them. */
export type SloName =
  | 'detection'
  | 'recovery'
  | 'availability'
  | 'maxDegradation'
  | 'recoverySuccessRate'
  | 'dataLoss'
  | 'splitBrain'
  | 'latencyP99'
  | 'latencyP50'
  | 'goodput'
  | 'phases.analysis'
  | 'phases.planning'
  | 'phases.execution';

/** The unit of an SLO's target and actual value. */
export type SloUnit = 'ms' | 'ratio' | 'count';

/** One SLO judged on one run. */
export interface SloResult {
  readonly name: SloName;
  /** `<=`: the actual value may not exceed the target; `>=`: it may not fall below it. */
  readonly comparison: '<=' | '>=';
  readonly unit: SloUnit;
  readonly target: number;
  /**
   * The value judged: the worst fault for per-fault SLOs. Null when there was nothing to measure (no fault
   * to judge, a controller without phases) or when a judged fault never got there (never detected or never
   * recovered): `missed` then names it.
   */
  readonly actual: number | null;
  readonly pass: boolean;
  /** Per-fault SLOs: faults judged and missing the target. */
  readonly missed?: readonly FaultId[];
  /** Per-fault SLOs: faults not judged (no impact, or the run ended before their deadline). */
  readonly exempt?: readonly FaultId[];
  /** Why the SLO passed or failed, in a sentence, when the numbers alone do not say. */
  readonly note?: string;
}

/** What the SLOs are judged on. */
export interface SloInputs {
  readonly slo: SloSpec;
  readonly outcome: WorldOutcome;
  /** The controller's own report; null when it gives none. */
  readonly controller: ControllerSummary | null;
  readonly policy: string;
}

/** A unit is exempt when it is not done and the run ended before its deadline: it was not given the time. */
const exemptUnit = (u: JudgedUnit, targetMs: number, endMs: number): boolean =>
  u.value === null && u.startMs + targetMs > endMs;

/**
 * What a per-fault deadline SLO judges (`sloUnits`: harmful faults, detected or not, and the incidents of
 * faults that landed together) and what it exempts: harmless faults, and faults (or incidents) not done when
 * the run ended before their deadline.
 */
const splitFaults = (name: 'detection' | 'recovery', targetMs: number, outcome: WorldOutcome) => {
  const lives = new Map(outcome.faults.map((f) => [f.id as string, f]));
  const { units, harmless } = judgedUnits(name, outcome.measures, (id) => lives.get(id), targetMs);
  const judged = units.filter((u) => !exemptUnit(u, targetMs, outcome.endMs));
  const judgedIds = new Set(judged.flatMap((u) => u.ids));
  const exempt = outcome.measures.map((m) => m.id).filter((id) => !judgedIds.has(id));
  return { judged, exempt, harmless };
};

/**
 * The faults a `detection` or `recovery` SLO with this target would not judge: harmless, or not done when the
 * run ended before their deadline.
 */
export const exemptFaults = (
  name: 'detection' | 'recovery',
  targetMs: number,
  outcome: WorldOutcome,
): ReadonlySet<FaultId> => new Set(splitFaults(name, targetMs, outcome).exempt);

const perFaultDeadline = (
  name: 'detection' | 'recovery',
  targetMs: number,
  outcome: WorldOutcome,
): SloResult => {
  const { judged, exempt } = splitFaults(name, targetMs, outcome);
  const missed = judged.filter((u) => u.value === null || u.value > targetMs);
  const never = judged.filter((u) => u.value === null);
  const values = judged.map((u) => u.value).filter((v): v is number => v !== null);
  const verb = name === 'detection' ? 'detected' : 'recovered';
  const ids = (us: readonly JudgedUnit[]) => [...new Set(us.flatMap((u) => u.ids))];
  const note =
    judged.length === 0
      ? 'no harmful fault to judge'
      : never.length > 0
        ? `never ${verb}: ${ids(never).join(', ')}`
        : undefined;
  return {
    name,
    comparison: '<=',
    unit: 'ms',
    target: targetMs,
    actual: never.length > 0 || values.length === 0 ? null : Math.max(...values),
    pass: missed.length === 0,
    missed: ids(missed),
    exempt,
    ...(note === undefined ? {} : { note }),
  };
};

/** Harmful faults judged for recovery success, and how many of them recovered in time. */
export interface RecoveryCounts {
  readonly judged: number;
  readonly recovered: number;
}

/**
 * The counts behind `recoverySuccessRate`, so rates can be pooled over many runs (a benchmark sums them
 * rather than averaging per-run ratios, which would weigh a run with one fault like a run with fifty).
 */
export const recoveryCounts = (outcome: WorldOutcome, recoveryMs: number | undefined): RecoveryCounts => {
  const target = recoveryMs ?? Number.POSITIVE_INFINITY;
  const { judged } = splitFaults('recovery', recoveryMs ?? 0, outcome);
  const recovered = judged.filter((u) => u.value !== null && u.value <= target).length;
  return { judged: judged.length, recovered };
};

/**
 * Share of harmful faults recovered: within the `recovery` target when the scenario sets one, else at
 * all before the run ended. Faults still open whose recovery deadline lies past the end are not counted;
 * with no fault to count, the rate is 1.
 */
export const recoverySuccessRate = (outcome: WorldOutcome, recoveryMs: number | undefined): number => {
  const { judged, recovered } = recoveryCounts(outcome, recoveryMs);
  return judged === 0 ? 1 : recovered / judged;
};

const atMost = (name: SloName, unit: SloUnit, target: number, actual: number, note?: string): SloResult => ({
  name,
  comparison: '<=',
  unit,
  target,
  actual,
  pass: actual <= target,
  ...(note === undefined ? {} : { note }),
});

const atLeast = (name: SloName, unit: SloUnit, target: number, actual: number, note?: string): SloResult => ({
  name,
  comparison: '>=',
  unit,
  target,
  actual,
  pass: actual >= target,
  ...(note === undefined ? {} : { note }),
});

const LATENCY_SLOS = [
  ['latencyP99', 'latencyP99Ms', 'p99'],
  ['latencyP50', 'latencyP50Ms', 'p50'],
] as const;

const PHASES = [
  ['phases.analysis', 'analysisMs', 'analysis'],
  ['phases.planning', 'planningMs', 'planning'],
  ['phases.execution', 'executionMs', 'execution'],
] as const;

/**
 * Judges every SLO the scenario sets, in the order of the `slo` block's fields. SLOs the scenario leaves
 * out are not judged. How each is judged is documented in docs/scenarios.md; in short:
 * per-fault deadlines apply to harmful faults (impact or lasting damage), detected or not; a phase budget is not applicable (and passes) when
 * the controller reports no phase timings.
 */
export const evaluateSlos = (input: SloInputs): SloResult[] => {
  const { slo, outcome, controller } = input;
  const out: SloResult[] = [];
  if (slo.detectionMs !== undefined) out.push(perFaultDeadline('detection', slo.detectionMs, outcome));
  if (slo.recoveryMs !== undefined) out.push(perFaultDeadline('recovery', slo.recoveryMs, outcome));
  if (slo.availability !== undefined) {
    out.push(atLeast('availability', 'ratio', slo.availability, outcome.availability));
  }
  if (slo.maxDegradation !== undefined) {
    const peak = outcome.maxDegradation;
    const note =
      peak.degradation > 0
        ? `worst window: ${peak.service}, starting at ${peak.windowStartMs} ms`
        : undefined;
    out.push(atMost('maxDegradation', 'ratio', slo.maxDegradation, peak.degradation, note));
  }
  if (slo.recoverySuccessRate !== undefined) {
    const rate = recoverySuccessRate(outcome, slo.recoveryMs);
    out.push(atLeast('recoverySuccessRate', 'ratio', slo.recoverySuccessRate, rate));
  }
  if (slo.dataLoss !== undefined) {
    out.push(atMost('dataLoss', 'count', slo.dataLoss, outcome.lostWrites, 'acknowledged writes lost'));
  }
  if (slo.splitBrainMs !== undefined)
    out.push(atMost('splitBrain', 'ms', slo.splitBrainMs, outcome.splitBrainMs));
  for (const [name, key, pick] of LATENCY_SLOS) {
    const target = slo[key];
    if (target === undefined) continue;
    const peak = outcome.latencyPeaks?.[pick];
    const actual = peak?.latencyMs ?? 0;
    const note =
      peak !== undefined && peak.latencyMs > 0
        ? `worst service: ${peak.service} (its ${pick} averaged over the run, weighted by what it served)`
        : undefined;
    out.push(atMost(name, 'ms', target, actual, note));
  }
  if (slo.goodput !== undefined) {
    const actual = outcome.goodput ?? outcome.availability;
    out.push(
      atLeast('goodput', 'ratio', slo.goodput, actual, "users' requests answered within their timeout"),
    );
  }
  for (const [name, key, phase] of PHASES) {
    const target = slo.phases?.[key];
    if (target === undefined) continue;
    const actual = controller?.phaseMaxMs?.[phase];
    if (actual === undefined) {
      out.push({
        name,
        comparison: '<=',
        unit: 'ms',
        target,
        actual: null,
        pass: true,
        note: `not applicable: the ${input.policy} controller reports no phase timings`,
      });
    } else {
      out.push(atMost(name, 'ms', target, actual, 'longest time one cycle spent in the phase'));
    }
  }
  return out;
};
