import { formatDuration } from '../base/duration.ts';
import { describeAction } from '../cluster/actions.ts';
import { formatFailedSlos } from '../report/console-report.ts';
import type { RunResult } from '../scenario/runner.ts';
import type { SloResult } from '../scenario/slo-evaluation.ts';
import { FLAPPING_DEFAULTS, type FlappingOptions, unprovokedActions } from './flapping.ts';
import { PropertyFailure } from './property-failure.ts';
import { type CaseOptions, runCase } from './run-case.ts';
import type { ScenarioInput } from './scenario-input.ts';
import { timeText } from './time-text.ts';

/**
 * A predicate over one generated scenario, in file form: returns when the property holds, throws a
 * {@link PropertyFailure} saying why when it does not. Pass it to `fc.property(arbitrary, predicate)` or to
 * `test.prop([arbitrary])(name, predicate)`.
 */
export type ScenarioProperty = (input: ScenarioInput) => void;

/**
 * A check of one finished run: null when it holds, else a failure. Several checks can share one run with
 * {@link holds}.
 */
export type RunCheck = (run: RunResult) => PropertyFailure | null;

/** Options of every property: how the scenario runs, and SLOs to judge it by on top of its own. */
export interface PropertyOptions extends CaseOptions {
  /** SLOs in file form (`{ recovery: '30s' }`) merged over the scenario's own `slo` block. */
  readonly slo?: Readonly<Record<string, unknown>>;
}

const where = (run: RunResult) => `seed ${run.seed}, policy ${run.policy}`;

const faultList = (run: RunResult): string =>
  run.outcome.faults
    .map((f) => `${f.id} ${f.kind} on ${f.targets.join(', ')} at ${timeText(f.injectedAtMs)}`)
    .join('; ') || 'none';

/** The SLOs a run missed. */
export const violatedSlos = (run: RunResult): SloResult[] => run.slos.filter((s) => !s.pass);

/** Every SLO the scenario sets is met. Fails when the scenario sets none: a property that cannot fail proves nothing. */
export const slosMet: RunCheck = (run) => {
  if (run.slos.length === 0) {
    return new PropertyFailure(
      'invalid-scenario',
      'the scenario sets no SLO: there is nothing to judge',
      run,
    );
  }
  const missed = violatedSlos(run);
  if (missed.length === 0) return null;
  const lines = formatFailedSlos(missed, '  ');
  return new PropertyFailure(
    'slo-violated',
    [`SLO violated (${where(run)}); faults: ${faultList(run)}`, ...lines].join('\n'),
    run,
  );
};

/** No acknowledged write is lost by a failover (ground truth). */
export const noLostWrites: RunCheck = (run) =>
  run.outcome.lostWrites === 0
    ? null
    : new PropertyFailure(
        'data-lost',
        `${run.outcome.lostWrites} acknowledged writes lost (${where(run)}); faults: ${faultList(run)}`,
        run,
      );

/** Two primaries of one service never accept writes at the same time (ground truth). */
export const noSplitBrain: RunCheck = (run) =>
  run.outcome.splitBrainMs === 0
    ? null
    : new PropertyFailure(
        'split-brain',
        `two primaries accepted writes for ${formatDuration(run.outcome.splitBrainMs)} (${where(run)}); faults: ${faultList(run)}`,
        run,
      );

/**
 * Under quorum replication no promotion picked a replica that did not see a majority of its service, alive and
 * connected (ground truth, checked online: needs `checkInvariants`, the default).
 */
export const noMinorityPromotion: RunCheck = (run) => {
  const found = (run.invariantViolations ?? []).filter((v) => v.invariant === 'minority-promotion');
  if (found.length === 0) return null;
  return new PropertyFailure(
    'invariant-violated',
    [`${found.length} promotion(s) on a minority side (${where(run)}); faults: ${faultList(run)}`]
      .concat(found.map((v) => `  ${v.message}`))
      .join('\n'),
    run,
  );
};

/** No online safety invariant broke (nothing to judge when the run did not check them). */
export const invariantsHold: RunCheck = (run) => {
  const found = run.invariantViolations ?? [];
  if (found.length === 0) return null;
  return new PropertyFailure(
    'invariant-violated',
    [
      `${found.length} invariant violation(s) (${where(run)}); faults: ${faultList(run)}`,
      ...found.map((v) => `  ${v.message}`),
    ].join('\n'),
    run,
  );
};

/**
 * The controller acts on nodes that ground truth shows healthy and reachable at most `tolerance` times
 * (see {@link unprovokedActions} for the exact rule and the grace window after a fault clears).
 */
export const noUnprovokedActions =
  (options: FlappingOptions = {}): RunCheck =>
  (run) => {
    const tolerance = options.tolerance ?? FLAPPING_DEFAULTS.tolerance;
    const found = unprovokedActions(run.outcome, options);
    if (found.length <= tolerance) return null;
    const grace = formatDuration(options.graceMs ?? FLAPPING_DEFAULTS.graceMs);
    const lines = found.map(
      ({ action, node }) =>
        `  #${action.id} ${describeAction(action.request)} at ${timeText(action.startedAtMs)}: ${node} under no fault (grace ${grace})`,
    );
    return new PropertyFailure(
      'flapping',
      [
        `${found.length} action(s) on healthy, reachable nodes, tolerance ${tolerance} (${where(run)}); faults: ${faultList(run)}`,
        ...lines,
      ].join('\n'),
      run,
    );
  };

const withSlo = (input: ScenarioInput, slo: PropertyOptions['slo']): ScenarioInput => {
  if (slo === undefined) return input;
  const own = input.slo !== null && typeof input.slo === 'object' ? input.slo : {};
  return { ...input, slo: { ...own, ...slo } };
};

/**
 * Runs the scenario once and applies every check, then the online invariants (checked unless
 * `checkInvariants: false`); throws the first failure.
 */
export const holds =
  (checks: readonly RunCheck[], options: PropertyOptions = {}): ScenarioProperty =>
  (input) => {
    const run = runCase(withSlo(input, options.slo), options);
    for (const check of [...checks, invariantsHold]) {
      const failure = check(run);
      if (failure !== null) throw failure;
    }
  };

/** "Recovers within its SLOs": every SLO the scenario (or `options.slo`) sets is met. */
export const recoversWithinSlos = (options: PropertyOptions = {}): ScenarioProperty =>
  holds([slosMet], options);

/** "Loses no acknowledged write": no failover loses a write the primary had acknowledged. */
export const losesNoAcknowledgedWrite = (options: PropertyOptions = {}): ScenarioProperty =>
  holds([noLostWrites], options);

/** "Never has two primaries accepting writes": no split brain, not even for a millisecond. */
export const neverHasTwoPrimaries = (options: PropertyOptions = {}): ScenarioProperty =>
  holds([noSplitBrain], options);

/** "Never promotes on the minority side": under quorum, every new primary sees a majority of its service. */
export const neverPromotesMinority = (options: PropertyOptions = {}): ScenarioProperty =>
  holds([noMinorityPromotion], options);

/** "No flapping": the controller leaves healthy, reachable nodes alone (within the tolerance). */
export const neverFlaps = (options: PropertyOptions & FlappingOptions = {}): ScenarioProperty =>
  holds([noUnprovokedActions(options)], options);

/** "Is deterministic": two runs of the scenario with the same seed and policy give the same trace hash. */
export const isDeterministic =
  (options: PropertyOptions = {}): ScenarioProperty =>
  (input) => {
    const scenario = withSlo(input, options.slo);
    const first = runCase(scenario, options);
    const second = runCase(scenario, options);
    if (first.outcome.traceHash !== second.outcome.traceHash) {
      throw new PropertyFailure(
        'nondeterministic',
        `two runs (${where(first)}) gave trace hashes ${first.outcome.traceHash.slice(0, 16)} and ${second.outcome.traceHash.slice(0, 16)}`,
        second,
      );
    }
  };
