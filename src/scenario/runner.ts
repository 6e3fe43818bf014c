import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { InspectionEvent } from 'xstate';
import { err, ok, type Result } from '../base/result.ts';
import type { SkippedFault } from '../chaos/ground-truth.ts';
import type { PolicyName } from '../controllers/controller-spec.ts';
import { policyFactory } from '../controllers/registry.ts';
import { createInspectionRecorder } from '../mapek/inspection.ts';
import { InvariantChecker } from '../measures/invariants/invariant-checker.ts';
import type { InvariantViolation } from '../measures/invariants/invariant-violation.ts';
import { type RunTimeline, TimelineRecorder } from '../timeline/run-timeline.ts';
import type { ControllerSummary } from '../world/controller.ts';
import type { WorldOutcome } from '../world/outcome.ts';
import { World, type WorldError } from '../world/world.ts';
import type { Scenario } from './schema/scenario.ts';
import { evaluateSlos, type SloResult } from './slo-evaluation.ts';

/** Options of one run. */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Overrides the scenario's `controller.policy`. */
  readonly policy?: PolicyName;
  /** Keep every trace line (for `--trace`); the hash is computed either way. */
  readonly keepTrace?: boolean;
  /** Knowledge carried over from an earlier run, handed to the policy (MAPE-K only). */
  readonly knowledge?: unknown;
  /** Record the run's timeline (service series, cycles, detections, actions) for a report. Off: no cost. */
  readonly timeline?: boolean;
  /** Record the loop's actors in @statelyai/inspect's event format (MAPE-K only). Off: no cost. */
  readonly inspect?: boolean;
  /**
   * Check the safety invariants online, on ground truth (two writable primaries, acknowledged writes lost
   * under sync replication, traffic to a removed or dead replica). Off: no cost, and nothing else changes
   * either way (the checker only reads).
   */
  readonly checkInvariants?: boolean;
  /**
   * Told how far the run has got, in simulated time, every 1 % of its duration and at its end. The run is
   * the same with or without it (the same trace hash); without it, no cost.
   */
  readonly onProgress?: RunProgress;
}

/** How far a run has got: `simMs` of `endMs` simulated milliseconds. */
export type RunProgress = (simMs: number, endMs: number) => void;

/** How many steps a run with a progress callback is cut into. */
const PROGRESS_STEPS = 100;

/**
 * Runs the world to `endMs`, in steps of 1 % when someone follows its progress. Stepping changes nothing:
 * the kernel fires the same events in the same order whatever the bounds it is run to.
 */
const runWorld = (world: World, endMs: number, onProgress: RunProgress | undefined): void => {
  if (onProgress === undefined) {
    world.runUntil(endMs);
    return;
  }
  for (let i = 1; i < PROGRESS_STEPS; i++) {
    const t = Math.floor((endMs * i) / PROGRESS_STEPS);
    world.runUntil(t);
    onProgress(t, endMs);
  }
  world.runUntil(endMs);
  onProgress(endMs, endMs);
};

/** A finished run: what happened, judged. */
export interface RunResult {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly policy: PolicyName;
  readonly outcome: WorldOutcome;
  /** Faults the schedule asked for that could not land (their target did not exist then). */
  readonly skippedFaults: readonly SkippedFault[];
  /** The controller's own report; null when it gives none. */
  readonly controller: ControllerSummary | null;
  readonly slos: readonly SloResult[];
  readonly verdict: 'pass' | 'fail';
  /** The trace as NDJSON lines without newlines; empty unless `keepTrace` was set. */
  readonly traceLines: readonly string[];
  /**
   * What the controller learned, as its knowledge file holds it (`saveKnowledgeFile`), to carry into a later
   * run; null for a controller that learns nothing (every baseline).
   */
  readonly knowledge: unknown;
  /** The timeline, when `timeline` was asked for. */
  readonly timeline: RunTimeline | null;
  /** The loop's inspection events, when `inspect` was asked for (empty for a baseline). */
  readonly inspection: readonly StatelyInspectionEvent[] | null;
  /** Every invariant the run broke, in the order they began, when `checkInvariants` was asked for. */
  readonly invariantViolations: readonly InvariantViolation[] | null;
}

/** Why a run could not start. */
export type RunError = {
  readonly kind: 'world-build-failed';
  readonly cause: WorldError;
  readonly message: string;
};

/**
 * Runs a scenario once: builds its world with the seed, attaches the controller its policy names (or the
 * override), runs it for the scenario's duration in simulated time, and judges the SLOs on ground truth.
 * Deterministic: the same scenario, seed and policy give the same result and trace hash.
 */
export const runScenario = (scenario: Scenario, options: RunOptions = {}): Result<RunResult, RunError> => {
  const seed = options.seed ?? scenario.seed;
  const policy = options.policy ?? scenario.controller.policy;
  const factory = policyFactory(policy, seed);
  const built = World.create(scenario.world, { seed, keepTrace: options.keepTrace ?? false });
  if (!built.ok) {
    return err({ kind: 'world-build-failed', cause: built.error, message: built.error.message });
  }
  const world = built.value;
  const timeline =
    options.timeline === true ? new TimelineRecorder(world.cluster, () => world.kernel.nowMs) : null;
  const inspection = options.inspect === true ? createInspectionRecorder(() => world.kernel.nowMs) : null;
  const invariants =
    options.checkInvariants === true
      ? new InvariantChecker(
          world.cluster.spec.loadBalancer,
          () => world.cluster.loadBalancer.membership,
          world.cluster.network,
        )
      : null;
  if (invariants !== null) world.cluster.listen(invariants);
  const observers = [timeline?.inspect, inspection?.observer].filter((o) => o !== undefined);
  const controller = factory(
    { ...scenario.controller, policy },
    {
      ...(options.knowledge === undefined ? {} : { knowledge: options.knowledge }),
      observe: {
        ...(timeline === null ? {} : { onCycle: timeline.onCycle }),
        ...(observers.length === 0
          ? {}
          : {
              inspect: (e: InspectionEvent) => {
                for (const o of observers) o(e);
              },
            }),
      },
    },
  );
  world.attach(controller);
  runWorld(world, scenario.durationMs, options.onProgress);
  controller.stop?.();
  const outcome = world.outcome();
  const summary = controller.summary?.() ?? null;
  const slos = evaluateSlos({ slo: scenario.slo, outcome, controller: summary, policy });
  return ok({
    scenario,
    seed,
    policy,
    outcome,
    skippedFaults: [...world.chaos.skipped],
    controller: summary,
    slos,
    verdict: slos.every((s) => s.pass) ? 'pass' : 'fail',
    traceLines: world.trace.recordedLines,
    knowledge: controller.exportKnowledge?.() ?? null,
    timeline:
      timeline?.finish({
        levelChanges: outcome.levelChanges,
        detections: world.detections,
        actions: outcome.actions,
      }) ?? null,
    inspection: inspection?.events ?? null,
    invariantViolations: invariants?.finish(world.kernel.nowMs) ?? null,
  });
};
