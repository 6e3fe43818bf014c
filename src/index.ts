/**
 * mapek: deterministic chaos simulation of a distributed cluster with a self-healing MAPE-K loop.
 * The public API, exported once. Everything else under src/ is internal.
 */

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
