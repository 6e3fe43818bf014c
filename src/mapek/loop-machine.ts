import { type AnyActorRef, assign, cancel, enqueueActions, sendTo, setup } from 'xstate';
import {
  type CycleProgress,
  cycleRecordOf,
  cycleResult,
  freshCycle,
  nextCycleStart,
} from './cycle-result.ts';
import { type MapekError, mapekError } from './errors.ts';
import { type KnowledgeView, needsPlan } from './knowledge-base.ts';
import type {
  KnowledgeMessage,
  LoopRuntime,
  MonitorHandover,
  PhaseId,
  PhaseReply,
  PhaseRequest,
} from './loop-events.ts';
import type { MonitorSample } from './monitor.ts';
import { analyzeActor, executeActor, knowledgeActor, monitorActor, planActor } from './phase-actors.ts';
import type { AnalysisResult, ExecutionResult, MapekCycleResult } from './types.ts';

/**
 * The loop's state between events: the cycle in progress (or, between cycles, the next one, already
 * scheduled) and what its phases have produced so far.
 */
export interface LoopContext extends CycleProgress {
  readonly runtime: LoopRuntime;
}

/** The loop's own timer event: the running cycle has reached `maxCycleTime`. */
interface CycleTimeout {
  readonly type: 'cycle.timeout';
  readonly cycle: number;
}

type LoopEvent = PhaseReply | CycleTimeout;
type Reply<T extends PhaseReply['type']> = Extract<PhaseReply, { type: T }>;

/** Time from now to the cycle's deadline, `maxCycleTime` after it starts. */
const deadlineDelay = (context: LoopContext): number =>
  Math.max(0, context.startedAtMs + context.runtime.config.maxCycleTimeMs - context.runtime.now());

/** The fixed id of the loop's delayed deadline event (XState would draw a random one otherwise). */
const TIMEOUT_ID = 'cycle.timeout';

/** The first cycle, due now. */
const firstCycle = (runtime: LoopRuntime): LoopContext => ({ runtime, ...freshCycle(1, runtime.now()) });

/**
 * The cycle after this one: one interval after this one started, or the next boundary after an overrun; or
 * sooner, when this cycle's analysis deferred a diagnosis until a given time (the cloud API catching up):
 * then, so the diagnosis waits for its evidence and not for the cycle.
 */
const nextCycle = (context: LoopContext): Partial<LoopContext> => {
  const now = context.runtime.now();
  const interval = context.runtime.config.cycleIntervalMs;
  return freshCycle(
    context.cycle + 1,
    nextCycleStart(context.startedAtMs, now, interval, context.analysis?.recheckAtMs),
  );
};

/** The deadline event of the context's cycle. */
const deadline = (context: LoopContext) =>
  [
    { type: 'cycle.timeout', cycle: context.cycle } satisfies CycleTimeout,
    { id: TIMEOUT_ID, delay: deadlineDelay(context) },
  ] as const;

/** Time spent in the phase that just ended, and the next phase's start. */
const phaseEnd = (context: LoopContext, next: PhaseId) => {
  const now = context.runtime.now();
  return { spent: now - context.phaseStartedAtMs, next: { phase: next, phaseStartedAtMs: now } };
};

/** The result of the cycle the context describes, ending now. */
const resultOf = (context: LoopContext, execution?: ExecutionResult, error?: MapekError): MapekCycleResult =>
  cycleResult(context, context.runtime.now(), context.runtime.knowledge, execution, error);

/** Publishes a finished cycle: to the caller, and to knowledge's history. */
const publish = (context: LoopContext, result: MapekCycleResult, knowledge: AnyActorRef | undefined) => {
  context.runtime.onCycle(result);
  const message: KnowledgeMessage = {
    type: 'knowledge.cycle',
    from: 'loop',
    record: cycleRecordOf(result, context.sample?.symptoms.length ?? 0),
  };
  knowledge?.send(message);
};

/**
 * Whether planning and execution have work: a failure nobody handles yet (new, or whose last attempt failed),
 * or a recovery to review. Failures contained or abandoned need neither.
 */
const needsPlanOrExecute = (analysis: AnalysisResult, knowledge: KnowledgeView): boolean => {
  for (const f of analysis.failures) {
    if (needsPlan(knowledge.failures.get(f.key)?.status)) return true;
  }
  for (const r of knowledge.failures.values())
    if (r.status === 'recovering' || r.status === 'verifying') return true;
  return false;
};

const isCurrent = (context: LoopContext, event: { readonly cycle: number }) => event.cycle === context.cycle;

/** What every end of a cycle does after publishing it: stop its deadline, advance, hand the beat back. */
const END = ['disarm', 'advance', 'resumeBeat'] as const;

/** Ends of a cycle that apply in every phase: the deadline, and a phase that failed. */
const cycleEnds = {
  'cycle.timeout': { guard: 'current', target: 'idle', actions: ['timeOut', 'abortPhases', ...END] },
  'phase.failed': { guard: 'current', target: 'idle', actions: ['hear', 'failCycle', ...END] },
} as const;

/**
 * The loop coordinator: a statechart that runs analyze, plan and execute in turn on the cycles the monitor
 * hands it, each phase an actor that answers after its own sim time. The monitor keeps the cycles' beat
 * (`MonitorBeat`): it samples every interval, ends quiet cycles itself (nothing wrong, nothing in hand: most
 * cycles of a run, which need no coordination), and hands over a cycle with something to analyze when its
 * monitor phase ends. When a cycle it ran ends, the loop tells the monitor when the next one starts: an interval
 * after this one started, the next boundary after an overrun, or sooner when analysis deferred a diagnosis
 * until its evidence is in. Each cycle has a deadline, a timer at start + `maxCycleTime` that cuts it off with
 * CycleTimeout if it still runs then (so a hung phase is cut off while it hangs), armed before the first phase
 * that could still be running at it. Recoveries outlive cycles (the execute actor tracks them), so a 45 s
 * reboot never blocks the detection of the next failure.
 */
export const loopMachine = setup({
  types: {
    context: {} as LoopContext,
    events: {} as LoopEvent,
    input: {} as LoopRuntime,
  },
  actors: {
    monitor: monitorActor,
    analyze: analyzeActor,
    plan: planActor,
    execute: executeActor,
    knowledge: knowledgeActor,
  },
  guards: {
    current: ({ context, event }) => isCurrent(context, event),
    fromMonitor: ({ event }) => 'from' in event && event.from === 'monitor',
    nothingToPlan: ({ context, event }) =>
      event.type === 'analyze.done' &&
      isCurrent(context, event) &&
      !needsPlanOrExecute(event.analysis, context.runtime.knowledge),
  },
  actions: {
    hear: ({ context, event }) => {
      if (event.type !== 'cycle.timeout') context.runtime.heard(event, 'loop');
    },
    resumeBeat: sendTo(
      'monitor',
      ({ context }): PhaseRequest => ({
        type: 'monitor.next',
        from: 'loop',
        cycle: context.cycle,
        atMs: context.startedAtMs,
      }),
    ),
    /** Takes on the cycle the monitor hands over, numbered and started as its beat did. */
    adopt: assign(({ context, event }) => {
      const e = event as MonitorHandover;
      return freshCycle(e.cycle, e.startedAtMs ?? context.startedAtMs);
    }),
    armDeadline: enqueueActions(({ context, enqueue }) => {
      enqueue.raise(...deadline(context));
    }),
    armDeadlineAfterMonitor: enqueueActions(({ context, enqueue }) => {
      if (context.runtime.config.monitorTimeMs < context.runtime.config.maxCycleTimeMs) {
        enqueue.raise(...deadline(context));
      }
    }),
    disarm: cancel(TIMEOUT_ID),
    advance: assign(({ context }) => nextCycle(context)),
    monitored: assign(({ context, event }) => {
      const { spent, next } = phaseEnd(context, 'analyze');
      return { ...next, detectionTimeMs: spent, sample: (event as Reply<'monitor.done'>).sample };
    }),
    analyzed: assign(({ context, event }) => {
      const { spent, next } = phaseEnd(context, 'plan');
      return { ...next, analysisTimeMs: spent, analysis: (event as Reply<'analyze.done'>).analysis };
    }),
    planned: assign(({ context, event }) => {
      const { spent, next } = phaseEnd(context, 'execute');
      const e = event as Reply<'plan.done'>;
      return { ...next, planningTimeMs: spent, plans: e.plans, escalated: e.escalated };
    }),
    finish: ({ context, event, system }) => {
      const execution = event.type === 'execute.done' ? event.execution : undefined;
      publish(context, resultOf(context, execution), system.get('knowledge'));
    },
    failCycle: ({ context, event, system }) => {
      const error = event.type === 'phase.failed' ? event.error : undefined;
      publish(context, resultOf(context, undefined, error), system.get('knowledge'));
    },
    timeOut: ({ context, system }) => {
      const now = context.runtime.now();
      const error = mapekError(
        'CycleTimeout',
        `cycle ${context.cycle} was cut off after ${now - context.startedAtMs} ms (maxCycleTime ${context.runtime.config.maxCycleTimeMs} ms) in the ${context.phase} phase`,
        { field: context.phase },
      );
      context.runtime.note('mapek.cycle.timeout', 'loop', { cycle: context.cycle, phase: context.phase });
      publish(context, resultOf(context, undefined, error), system.get('knowledge'));
    },
    abortPhases: ({ context, system }) => {
      const abort: PhaseRequest = { type: 'phase.abort', from: 'loop', cycle: context.cycle };
      for (const id of ['monitor', 'analyze', 'plan', 'execute'] as const) system.get(id)?.send(abort);
    },
  },
}).createMachine({
  id: 'mapek-loop',
  context: ({ input }) => firstCycle(input),
  invoke: [
    { id: 'knowledge', systemId: 'knowledge', src: 'knowledge', input: ({ context }) => context.runtime },
    { id: 'monitor', systemId: 'monitor', src: 'monitor', input: ({ context }) => context.runtime },
    { id: 'analyze', systemId: 'analyze', src: 'analyze', input: ({ context }) => context.runtime },
    { id: 'plan', systemId: 'plan', src: 'plan', input: ({ context }) => context.runtime },
    { id: 'execute', systemId: 'execute', src: 'execute', input: ({ context }) => context.runtime },
  ],
  initial: 'idle',
  states: {
    /** The monitor's beat runs the cycles; the loop waits for one that needs it. */
    idle: {
      on: {
        'monitor.done': {
          target: 'analyzing',
          actions: ['hear', 'adopt', 'monitored', 'armDeadlineAfterMonitor'],
        },
        'monitor.started': { target: 'monitoring', actions: ['hear', 'adopt', 'armDeadline'] },
        'phase.failed': {
          guard: 'fromMonitor',
          target: 'idle',
          actions: ['hear', 'adopt', 'failCycle', ...END],
        },
      },
    },
    /** A monitor phase that cannot end within the max cycle time runs, watched by the deadline. */
    monitoring: {
      on: {
        ...cycleEnds,
        'monitor.done': {
          guard: 'current',
          target: 'analyzing',
          actions: ['hear', 'monitored', 'armDeadlineAfterMonitor'],
        },
      },
    },
    analyzing: {
      entry: sendTo(
        'analyze',
        ({ context }): PhaseRequest => ({
          type: 'analyze.run',
          from: 'loop',
          cycle: context.cycle,
          sample: context.sample as MonitorSample,
        }),
      ),
      on: {
        'analyze.done': [
          { guard: 'nothingToPlan', target: 'idle', actions: ['hear', 'analyzed', 'finish', ...END] },
          { guard: 'current', target: 'planning', actions: ['hear', 'analyzed'] },
        ],
        ...cycleEnds,
      },
    },
    planning: {
      entry: sendTo(
        'plan',
        ({ context }): PhaseRequest => ({
          type: 'plan.run',
          from: 'loop',
          cycle: context.cycle,
          sample: context.sample as MonitorSample,
          analysis: context.analysis as AnalysisResult,
        }),
      ),
      on: {
        'plan.done': { guard: 'current', target: 'executing', actions: ['hear', 'planned'] },
        ...cycleEnds,
      },
    },
    executing: {
      entry: sendTo(
        'execute',
        ({ context }): PhaseRequest => ({
          type: 'execute.run',
          from: 'loop',
          cycle: context.cycle,
          sample: context.sample as MonitorSample,
          analysis: context.analysis as AnalysisResult,
          plans: context.plans,
          escalated: context.escalated,
        }),
      ),
      on: {
        'execute.done': { guard: 'current', target: 'idle', actions: ['hear', 'finish', ...END] },
        ...cycleEnds,
      },
    },
  },
});
