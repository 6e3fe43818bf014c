import { type AnyActorRef, assign, cancel, enqueueActions, sendTo, setup } from 'xstate';
import { type MapekError, mapekError } from './errors.ts';
import { type KnowledgeView, needsPlan, settledSilence } from './knowledge-base.ts';
import type {
  KnowledgeMessage,
  LoopRuntime,
  MonitorAlert,
  PhaseId,
  PhaseReply,
  PhaseRequest,
} from './loop-events.ts';
import type { MonitorSample } from './monitor.ts';
import { analyzeActor, executeActor, knowledgeActor, monitorActor, planActor } from './phase-actors.ts';
import {
  type AnalysisResult,
  type DetectedFailure,
  type ExecutionResult,
  isCutOff,
  type MapekCycleResult,
  type PhaseTimings,
  type RecoveryPlan,
} from './types.ts';

/**
 * The loop's state between events: the cycle in progress (or, between cycles, the next one, already
 * scheduled) and what its phases have produced so far.
 */
export interface LoopContext {
  readonly runtime: LoopRuntime;
  readonly cycle: number;
  readonly startedAtMs: number;
  /** The phase running now, and since when. */
  readonly phase: PhaseId;
  readonly phaseStartedAtMs: number;
  readonly detectionTimeMs: number;
  readonly analysisTimeMs: number;
  readonly planningTimeMs: number;
  readonly sample: MonitorSample | undefined;
  readonly analysis: AnalysisResult | undefined;
  readonly plans: readonly RecoveryPlan[];
  readonly escalated: readonly string[];
}

/** The loop's own timer event: the running cycle has reached `maxCycleTime`. */
interface CycleTimeout {
  readonly type: 'cycle.timeout';
  readonly cycle: number;
}

type LoopEvent = PhaseReply | CycleTimeout | MonitorAlert;
type Reply<T extends PhaseReply['type']> = Extract<PhaseReply, { type: T }>;

/** Time from now to the cycle's deadline, `maxCycleTime` after it starts. */
const deadlineDelay = (context: LoopContext): number =>
  Math.max(0, context.startedAtMs + context.runtime.config.maxCycleTimeMs - context.runtime.now());

/** Fixed ids of the loop's delayed events (XState would draw random ones otherwise). */
const TIMEOUT_ID = 'cycle.timeout';
const NEXT_CYCLE_ID = 'cycle.next';

/** A cycle numbered `cycle`, starting at `atMs`, in its monitor phase, with nothing produced yet. */
const freshCycle = (cycle: number, atMs: number): Omit<LoopContext, 'runtime'> => ({
  cycle,
  startedAtMs: atMs,
  phase: 'monitor',
  phaseStartedAtMs: atMs,
  detectionTimeMs: 0,
  analysisTimeMs: 0,
  planningTimeMs: 0,
  sample: undefined,
  analysis: undefined,
  plans: [],
  escalated: [],
});

/** The first cycle, due now. */
const firstCycle = (runtime: LoopRuntime): LoopContext => ({ runtime, ...freshCycle(1, runtime.now()) });

/**
 * The cycle after this one: one interval after this one started, or the next boundary after an overrun; or
 * sooner, when this cycle's analysis deferred a diagnosis until a given time (the cloud API catching up):
 * then, so the diagnosis waits for its evidence and not for the cycle.
 */
const nextCycle = (context: LoopContext): Partial<LoopContext> => {
  const interval = context.runtime.config.cycleIntervalMs;
  const now = context.runtime.now();
  const due = context.startedAtMs + interval;
  const regular =
    due >= now ? due : context.startedAtMs + Math.ceil((now - context.startedAtMs) / interval) * interval;
  const recheck = context.analysis?.recheckAtMs;
  const start = recheck !== undefined && recheck < regular ? Math.max(now, recheck) : regular;
  return freshCycle(context.cycle + 1, start);
};

/**
 * Whether the cycle's deadline is armed now: before the first phase that could still be running at it. The
 * monitor phase answers after `monitorTimeMs`, scheduled when it is asked: unless that is past the deadline,
 * the cycle needs its timer only once it moves on to analysis (`afterMonitor`), and a quiet cycle, over after
 * monitoring, needs none.
 */
const armsDeadline = (context: LoopContext, afterMonitor: boolean): boolean => {
  const { monitorTimeMs, maxCycleTimeMs } = context.runtime.config;
  return monitorTimeMs < maxCycleTimeMs === afterMonitor;
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

/** The phase timings of a cycle ending now, in whatever phase it is. */
const timingsAtEnd = (context: LoopContext): PhaseTimings => {
  const spent = context.runtime.now() - context.phaseStartedAtMs;
  const t = {
    detectionTimeMs: context.phase === 'monitor' ? spent : context.detectionTimeMs,
    analysisTimeMs: context.phase === 'analyze' ? spent : context.analysisTimeMs,
    planningTimeMs: context.phase === 'plan' ? spent : context.planningTimeMs,
    executionTimeMs: context.phase === 'execute' ? spent : 0,
  };
  return { ...t, totalTimeMs: t.detectionTimeMs + t.analysisTimeMs + t.planningTimeMs + t.executionTimeMs };
};

const NOTHING: readonly DetectedFailure[] = [];

/** The failures a cycle acted on: those it planned for, and those whose recovery it concluded. */
const handledIn = (
  context: LoopContext,
  execution: ExecutionResult | undefined,
): readonly DetectedFailure[] => {
  if (context.plans.length === 0 && execution === undefined) return NOTHING;
  const handled = new Map<string, DetectedFailure>();
  for (const p of context.plans) handled.set(p.failure.key, p.failure);
  for (const o of [...(execution?.verified ?? []), ...(execution?.failed ?? [])]) {
    const f = context.analysis?.failures.find((x) => x.key === o.key);
    if (f !== undefined) handled.set(f.key, f);
  }
  return [...handled.values()];
};

/** Whether some failure this cycle saw is left with nobody working on it. */
const leftUnattended = (context: LoopContext): boolean => {
  const inHand = context.runtime.knowledge.failures;
  return (context.analysis?.failures ?? NOTHING).some((f) => {
    const status = inHand.get(f.key)?.status;
    return needsPlan(status) || status === 'abandoned';
  });
};

/** The result of the cycle the context describes, ending now. */
const resultOf = (
  context: LoopContext,
  execution: ExecutionResult | undefined,
  error?: MapekError,
  sample: MonitorSample | undefined = context.sample,
): MapekCycleResult => ({
  cycle: context.cycle,
  startedAtMs: context.startedAtMs,
  ...timingsAtEnd(context),
  recoveredSuccessfully:
    error === undefined && (execution?.failed.length ?? 0) === 0 && !leftUnattended(context),
  maxDegradationPercent: sample?.state.metrics.degradationPercent ?? 0,
  failuresHandled: handledIn(context, execution),
  plans: context.plans,
  ...(sample === undefined ? {} : { state: sample.state }),
  ...(context.analysis === undefined ? {} : { analysis: context.analysis }),
  ...(execution === undefined ? {} : { execution }),
  ...(error === undefined ? {} : { error }),
});

/** Publishes a finished cycle: to the caller, and to knowledge's history. */
const publish = (
  context: LoopContext,
  result: MapekCycleResult,
  knowledge: AnyActorRef | undefined,
  sample: MonitorSample | undefined = context.sample,
) => {
  context.runtime.onCycle(result);
  const message: KnowledgeMessage = {
    type: 'knowledge.cycle',
    from: 'loop',
    record: {
      cycle: result.cycle,
      atMs: result.startedAtMs,
      totalTimeMs: result.totalTimeMs,
      symptoms: sample?.symptoms.length ?? 0,
      failures: result.analysis?.failures.length ?? 0,
      actions: result.execution?.dispatched ?? 0,
      timedOut: result.error?.kind === 'CycleTimeout',
    },
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

/**
 * Whether a monitor sample shows nothing to analyze: no symptom, or only the silence of nodes whose failures
 * are already contained or abandoned, with every such failure still silent (one that has healed must reach
 * analysis, to be forgotten) and no other failure in hand.
 */
const nothingNew = (sample: MonitorSample, knowledge: KnowledgeView): boolean => {
  if (sample.symptoms.length === 0) return knowledge.failures.size === 0;
  const settled = settledSilence(knowledge.failures);
  if (!settled.all) return false;
  const silent = new Set<string>();
  for (const s of sample.symptoms) {
    if (!isCutOff(s)) return false;
    silent.add(s.node);
  }
  for (const f of settled.failures) if (!f.nodes.some((n) => silent.has(n))) return false;
  return sample.symptoms.every((s) => isCutOff(s) && settled.failures.some((f) => f.nodes.includes(s.node)));
};

const isCurrent = (context: LoopContext, event: { readonly cycle: number }) => event.cycle === context.cycle;

/** What every end of a cycle does after publishing it: stop its deadline, advance to the next cycle, schedule it. */
const END = ['disarm', 'advance', 'scheduleMonitor', 'armDeadline'] as const;

/** Ends of a cycle that apply in every phase: the deadline, and a phase that failed. */
const cycleEnds = {
  'cycle.timeout': { guard: 'current', target: 'monitoring', actions: ['timeOut', 'abortPhases', ...END] },
  'phase.failed': { guard: 'current', target: 'monitoring', actions: ['hear', 'failCycle', ...END] },
  // An alert while a cycle runs: that cycle, or the next, reads the scrape anyway.
  'monitor.alert': { actions: ['hear'] },
} as const;

/**
 * The loop coordinator: a statechart that runs monitor, analyze, plan and execute in turn, each phase an
 * actor that answers after its own sim time, one cycle every interval. When a cycle ends, the loop schedules
 * the next monitor request, delayed to the next cycle's start. Each cycle has a deadline, a timer at start +
 * `maxCycleTime` that cuts it off with CycleTimeout if it still runs then (so a hung phase is cut off while
 * it hangs), armed before the first phase that could still be running at it. A cycle whose monitor saw
 * nothing wrong, with no failure in hand, ends after monitoring, in one macrostep of this machine: there is
 * nothing to analyze. The loop also wakes early: on the monitor's alert (a scrape just landed showing a
 * service off its level) the waiting cycle starts at once, and a cycle that deferred a diagnosis schedules
 * the next for when its evidence will be in. Recoveries outlive cycles (the execute actor tracks them), so a
 * 45 s reboot never blocks the detection of the next failure.
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
  delays: {
    untilStart: ({ context }: { readonly context: LoopContext }) =>
      Math.max(0, context.startedAtMs - context.runtime.now()),
  },
  guards: {
    current: ({ context, event }) => event.type !== 'monitor.alert' && isCurrent(context, event),
    /** Between cycles: the next one is scheduled and has not started. */
    idle: ({ context }) => context.phase === 'monitor' && context.startedAtMs > context.runtime.now(),
    quiet: ({ context, event }) =>
      event.type === 'monitor.done' &&
      isCurrent(context, event) &&
      nothingNew(event.sample, context.runtime.knowledge),
    nothingToPlan: ({ context, event }) =>
      event.type === 'analyze.done' &&
      isCurrent(context, event) &&
      !needsPlanOrExecute(event.analysis, context.runtime.knowledge),
  },
  actions: {
    hear: ({ context, event }) => {
      if (event.type !== 'cycle.timeout') context.runtime.heard(event, 'loop');
    },
    scheduleMonitor: sendTo(
      'monitor',
      ({ context }): PhaseRequest => ({ type: 'monitor.run', from: 'loop', cycle: context.cycle }),
      { id: NEXT_CYCLE_ID, delay: 'untilStart' },
    ),
    armDeadline: enqueueActions(({ context, enqueue }) => {
      if (armsDeadline(context, false)) enqueue.raise(...deadline(context));
    }),
    armDeadlineAfterMonitor: enqueueActions(({ context, enqueue }) => {
      if (armsDeadline(context, true)) enqueue.raise(...deadline(context));
    }),
    disarm: cancel(TIMEOUT_ID),
    unschedule: cancel(NEXT_CYCLE_ID),
    startNow: assign(({ context }) => {
      const now = context.runtime.now();
      return { startedAtMs: now, phaseStartedAtMs: now };
    }),
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
    finishQuiet: ({ context, event, system }) => {
      const sample = event.type === 'monitor.done' ? event.sample : undefined;
      publish(context, resultOf(context, undefined, undefined, sample), system.get('knowledge'), sample);
    },
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
  entry: ['scheduleMonitor', 'armDeadline'],
  initial: 'monitoring',
  states: {
    /** The monitor phase runs, or the next cycle's request to it waits for the cycle to start. */
    monitoring: {
      on: {
        ...cycleEnds,
        'monitor.alert': [
          {
            guard: 'idle',
            actions: ['hear', 'unschedule', 'disarm', 'startNow', 'scheduleMonitor', 'armDeadline'],
          },
          { actions: ['hear'] },
        ],
        'monitor.done': [
          // Targetless (staying in `monitoring` needs no exit and entry, which XState would compute), and
          // no deadline to disarm: a quiet cycle never armed one (see armDeadline).
          { guard: 'quiet', actions: ['hear', 'finishQuiet', 'advance', 'scheduleMonitor', 'armDeadline'] },
          {
            guard: 'current',
            target: 'analyzing',
            actions: ['hear', 'monitored', 'armDeadlineAfterMonitor'],
          },
        ],
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
          { guard: 'nothingToPlan', target: 'monitoring', actions: ['hear', 'analyzed', 'finish', ...END] },
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
        'execute.done': { guard: 'current', target: 'monitoring', actions: ['hear', 'finish', ...END] },
        ...cycleEnds,
      },
    },
  },
});
