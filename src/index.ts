/**
 * mapek: deterministic chaos simulation of a distributed cluster with a self-healing MAPE-K loop.
 * The public API, exported once. Everything else under src/ is internal.
 */

// ---- MAPE-K
/** The loop's configuration: the seed's four settings plus tuning, immutable, with `with*` builders. */
export { MapekConfig, type MapekConfigValues } from './mapek/config.ts';
/** MAPE-K failures as typed values. */
export {
  type KnowledgeFileProblem,
  type MapekError,
  type MapekErrorKind,
  mapekError,
} from './mapek/errors.ts';
/** Knowledge files: load, check and save (atomically) what the loop has learned. */
export {
  type KnowledgeFileData,
  loadKnowledgeFile,
  parseKnowledge,
  type SaveKnowledgeOptions,
  saveKnowledgeFile,
} from './mapek/knowledge-file.ts';
/** The MAPE-K loop: create it on a world, then `runCycle()` or `runContinuous(durationMs)`; also a Controller. */
export { MapekLoop, type MapekLoopOptions } from './mapek/mapek-loop.ts';
/** The planner's catalog of recovery strategies, as data. */
export { STRATEGY_CATALOG, type Strategy } from './mapek/strategy-catalog.ts';
/** The loop's data: what it observes, diagnoses, plans and does, cycle by cycle; every failure type. */
export {
  type ActionType,
  type AnalysisResult,
  type ClusterState,
  type DetectedFailure,
  type ExecutionResult,
  FAILURE_TYPES,
  type FailureType,
  type MapekCycleResult,
  type PhaseTimings,
  type RecoveryAction,
  type RecoveryOutcome,
  type RecoveryPlan,
  type RootCause,
  type ServiceHealth,
  type StrategyId,
  type Symptom,
  type SystemMetrics,
  type Topology,
} from './mapek/types.ts';
// ---- result values
/** A value or a typed error. */
export type { Result } from './result.ts';
/** Result constructors. */
export { err, ok } from './result.ts';
// ---- simulation kernel
/** Duration parsing and formatting (`250ms`, `30s`, `5m`, `24h`). */
export { type DurationError, formatDuration, type Millis, parseDuration } from './sim/duration.ts';
/** The discrete-event kernel: integer-millisecond virtual clock and event queue. */
export { SimKernel, type TimerHandle } from './sim/kernel.ts';
/** Named seeded random streams. */
export { RandomStream, RandomStreams, type StreamName } from './sim/random-streams.ts';
/** The trace with its stable hash. */
export { Trace, type TraceEvent } from './sim/trace.ts';
/** An XState v5 clock that runs `after` delays in sim time. */
export { type ActorClock, actorClock } from './sim/xstate-clock.ts';
/** The controller contract every policy implements. */
export type {
  Controller,
  ControllerContext,
  ControllerEffectors,
  ControllerSummary,
  GroundTruthFeed,
} from './world/controller.ts';
/** The ground-truth outcome of a run. */
export type { WorldOutcome } from './world/outcome.ts';
// ---- world
/** A deterministic world: cluster, chaos, measures. */
export { World, type WorldError, type WorldOptions, type WorldSpec } from './world/world.ts';
