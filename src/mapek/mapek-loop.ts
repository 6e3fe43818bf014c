import { type Actor, createActor, type InspectionEvent, type Observer } from 'xstate';
import { err, ok, type Result } from '../base/result.ts';
import { actorClock } from '../sim/xstate-clock.ts';
import type { Controller, ControllerContext, ControllerSummary } from '../world/controller.ts';
import type { World } from '../world/world.ts';
import { MapekConfig } from './config.ts';
import { type MapekError, mapekError } from './errors.ts';
import { KnowledgeBase } from './knowledge-base.ts';
import { KNOWLEDGE_FORMAT, KNOWLEDGE_VERSION, type KnowledgeFileData } from './knowledge-file.ts';
import type { LoopMessage, LoopRuntime, SystemId } from './loop-events.ts';
import { loopMachine } from './loop-machine.ts';
import { MonitorBeat } from './monitor-beat.ts';
import type { Strategy } from './strategy.ts';
import type { MapekCycleResult } from './types.ts';

/** Who watches the loop from outside, for reports and tools; nothing is attached (or paid for) without them. */
export interface LoopObservers {
  /**
   * XState's `inspect` option for the loop's actor system (actor created, events, snapshots):
   * `createInspectionRecorder` (inspection.ts) turns it into @statelyai/inspect events in sim time.
   */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Called with every cycle's result as it ends (after the loop's own bookkeeping). */
  readonly onCycle?: (result: MapekCycleResult) => void;
}

/** Options of a MAPE-K loop besides its configuration. */
export interface MapekLoopOptions extends LoopObservers {
  /** Knowledge carried over from an earlier run, as `loadKnowledgeFile` returns it. */
  readonly knowledge?: KnowledgeFileData;
  /** The name the loop acts and reports detections under. Default `mapek`. */
  readonly name?: string;
  /** The planner's strategies, from a strategy catalog file (`catalogFrom`); default the built-in catalog. */
  readonly strategies?: readonly Strategy[];
}

/**
 * The MAPE-K loop: five XState actors (monitor, analyze, plan, execute, knowledge) under a loop coordinator,
 * on the world's sim clock. It is a `Controller`, so a world run drives it (`world.attach`, then
 * `world.runUntil`); `MapekLoop.create(world, config)` attaches it for you and adds the seed API's
 * `runCycle()` and `runContinuous(durationMs)`, which advance the world themselves.
 */
export class MapekLoop implements Controller {
  readonly name: string;
  /** What the loop knows and has learned; written only by its knowledge actor. */
  readonly knowledge: KnowledgeBase;
  private actor: Actor<typeof loopMachine> | undefined;
  private beat: MonitorBeat | undefined;
  private world: World | undefined;
  private cycles = 0;
  private timeouts = 0;
  private readonly phaseMax = { analysis: 0, planning: 0, execution: 0 };
  private collector: MapekCycleResult[] | null = null;
  private last: MapekCycleResult | undefined;
  private readonly observers: LoopObservers;
  private readonly strategies: readonly Strategy[] | undefined;

  private constructor(
    readonly config: MapekConfig,
    options: MapekLoopOptions,
  ) {
    this.name = options.name ?? 'mapek';
    this.strategies = options.strategies;
    this.observers = options;
    this.knowledge = new KnowledgeBase(
      {
        cycleIntervalMs: config.cycleIntervalMs,
        maxRecoveryTimeMs: config.maxRecoveryTimeMs,
        errorRateThreshold: config.errorRateThreshold,
        latencyThreshold: config.latencyThreshold,
      },
      config.enableKnowledgeUpdates,
      options.knowledge,
    );
  }

  /** A loop ready to be attached to a world as its controller (the scenario runner's way). */
  static controller(config: MapekConfig, options: MapekLoopOptions = {}): Result<MapekLoop, MapekError> {
    const valid = config.validate();
    return valid.ok ? ok(new MapekLoop(valid.value, options)) : valid;
  }

  /** A loop attached to `world` as its controller: the seed API's way, with `runCycle` and `runContinuous`. */
  static create(
    world: World,
    config: MapekConfig = MapekConfig.create(),
    options: MapekLoopOptions = {},
  ): Result<MapekLoop, MapekError> {
    if (world.controller !== null) {
      return err(
        mapekError(
          'InvalidConfig',
          `MapekLoop.create: the world already has a controller (${world.controller})`,
          {
            field: 'world',
          },
        ),
      );
    }
    const built = MapekLoop.controller(config, options);
    if (!built.ok) return built;
    const loop = built.value;
    loop.world = world;
    world.attach(loop);
    return ok(loop);
  }

  /** Starts the actors on the world's clock (the world calls this when the loop is attached). */
  start(ctx: ControllerContext): void {
    if (this.actor !== undefined) return;
    const kernel = ctx.kernel;
    const shared: Omit<LoopRuntime, 'beat'> = {
      config: this.config,
      ...(this.strategies === undefined ? {} : { strategies: this.strategies }),
      ctx,
      knowledge: this.knowledge,
      now: () => kernel.nowMs,
      heard: (event, target) => ctx.trace(traceLine(kernel.nowMs, event, target)),
      note: (kind, source, fields) => ctx.trace({ t: kernel.nowMs, kind, source, ...fields }),
      onCycle: (result) => this.completed(result),
    };
    const beat = new MonitorBeat(shared);
    this.beat = beat;
    const runtime: LoopRuntime = { ...shared, beat };
    const inspect = this.observers.inspect;
    this.actor = createActor(loopMachine, {
      clock: actorClock(kernel),
      systemId: 'loop',
      input: runtime,
      ...(inspect === undefined ? {} : { inspect }),
    });
    this.actor.start();
  }

  /** Stops every actor; pending timers are cancelled. Quiet cycles' records reach knowledge first. */
  stop(): void {
    this.beat?.flush();
    this.actor?.stop();
  }

  /** Cycles run, the longest time each phase took, and the cycles cut off. */
  summary(): ControllerSummary {
    return { cycles: this.cycles, phaseMaxMs: { ...this.phaseMax }, cycleTimeouts: this.timeouts };
  }

  /** The last cycle that ended. */
  get lastCycle(): MapekCycleResult | undefined {
    return this.last;
  }

  /** What the loop has learned, in the knowledge file layout (for `saveKnowledgeFile`). */
  exportKnowledge(): KnowledgeFileData {
    this.beat?.flush();
    const k = this.knowledge;
    return {
      format: KNOWLEDGE_FORMAT,
      version: KNOWLEDGE_VERSION,
      objectives: k.objectives,
      topology: k.topology ?? null,
      stats: k.allStats(),
      history: [...k.history],
    };
  }

  /**
   * Runs the world until the loop's next cycle ends and returns it; a cycle cut off by the max cycle time
   * or a failed phase is the error.
   */
  runCycle(): Result<MapekCycleResult, MapekError> {
    const world = this.world;
    if (world === undefined) return err(notAttached('runCycle'));
    const before = this.cycles;
    // Starts the world if need be; a cycle may end at this very instant.
    world.runUntil(world.kernel.nowMs);
    const limit = world.kernel.nowMs + this.config.cycleIntervalMs + this.config.maxCycleTimeMs + 1;
    world.kernel.runWhile(() => this.cycles > before, limit);
    const result = this.last;
    if (this.cycles === before || result === undefined) {
      return err(mapekError('CycleTimeout', `MapekLoop.runCycle: no cycle ended by ${limit} ms`));
    }
    return result.error === undefined ? ok(result) : err(result.error);
  }

  /** Runs the world for `durationMs` of sim time and returns every cycle that ended in it, in order. */
  runContinuous(durationMs: number): Result<MapekCycleResult[], MapekError> {
    const world = this.world;
    if (world === undefined) return err(notAttached('runContinuous'));
    if (!Number.isFinite(durationMs) || durationMs <= 0) {
      return err(
        mapekError(
          'InvalidConfig',
          `MapekLoop.runContinuous: duration must be a finite time above 0 ms, got ${durationMs}`,
          {
            field: 'durationMs',
          },
        ),
      );
    }
    const results: MapekCycleResult[] = [];
    this.collector = results;
    try {
      world.runUntil(world.kernel.nowMs + durationMs);
    } finally {
      this.collector = null;
    }
    return ok(results);
  }

  private completed(result: MapekCycleResult): void {
    this.cycles++;
    if (result.error?.kind === 'CycleTimeout') this.timeouts++;
    this.phaseMax.analysis = Math.max(this.phaseMax.analysis, result.analysisTimeMs);
    this.phaseMax.planning = Math.max(this.phaseMax.planning, result.planningTimeMs);
    this.phaseMax.execution = Math.max(this.phaseMax.execution, result.executionTimeMs);
    this.last = result;
    this.collector?.push(result);
    this.observers.onCycle?.(result);
  }
}

const notAttached = (api: string): MapekError =>
  mapekError(
    'InvalidConfig',
    `MapekLoop.${api} needs a world: build the loop with MapekLoop.create(world, config)`,
    {
      field: 'world',
    },
  );

/** One exchanged event as a trace line: sim time, sender and receiver systemIds, the event type, the cycle. */
const traceLine = (t: number, event: LoopMessage, target: SystemId) => ({
  t,
  kind: 'mapek.event',
  source: event.from,
  target,
  event: event.type,
  cycle: 'cycle' in event ? event.cycle : event.type === 'knowledge.cycle' ? event.record.cycle : undefined,
});
