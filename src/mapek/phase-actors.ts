import { type AnyActorRef, fromCallback } from 'xstate';
import type { ServiceId } from '../cluster/ids.ts';
import { analyze, isDetection } from './analysis.ts';
import { type MapekError, type MapekErrorKind, mapekError } from './errors.ts';
import { isBridge, type KnowledgeUpdate } from './knowledge-base.ts';
import type {
  ActionDone,
  KnowledgeMessage,
  LoopRuntime,
  PhaseId,
  PhaseReply,
  PhaseRequest,
  SystemId,
} from './loop-events.ts';
import { plan } from './planner.ts';
import { RecoveryTracker } from './recovery-tracker.ts';
import { EMPTY_TOPOLOGY } from './topology.ts';
import type { ExecutionResult } from './types.ts';

/** The error kind a phase's unexpected exception becomes. */
const FAILURE_KIND: Readonly<Record<PhaseId, MapekErrorKind>> = {
  monitor: 'MonitorFailed',
  analyze: 'AnalyzeFailed',
  plan: 'PlanFailed',
  execute: 'ExecuteFailed',
};

/** The one pending reply of a phase actor; a stable id, so XState never draws a random one. */
const replyId = (phase: PhaseId) => `${phase}.reply`;

/** A phase's answer to a request and the sim time it took. */
interface PhaseWork {
  readonly reply: PhaseReply;
  readonly costMs: number;
}

/** The actor system, as every actor reference carries it. */
type AnyActorSystem = AnyActorRef['system'];

type Scope = { readonly self: AnyActorRef; readonly system: AnyActorSystem; readonly runtime: LoopRuntime };

/**
 * Builds a phase actor: a callback actor that answers its `run` request after the phase's sim time, through
 * XState's scheduler (so on the actor clock, with a fixed id), and drops that answer when the loop aborts
 * the cycle. An exception in the phase becomes a typed `phase.failed` reply, never a crash of the loop.
 */
const phaseActor = <R extends PhaseRequest['type']>(
  phase: PhaseId,
  runType: R,
  init: (scope: Scope) => {
    run: (request: Extract<PhaseRequest, { type: R }>) => PhaseWork;
    other?: (event: ActionDone) => void;
    /** Undoes what `init` set up outside the actor (a sensor subscription) when the loop stops. */
    cleanup?: () => void;
  },
) =>
  fromCallback<PhaseRequest | ActionDone, LoopRuntime>(({ input, receive, self, system }) => {
    const handlers = init({ self, system, runtime: input });
    receive((event) => {
      input.heard(event, phase);
      if (event.type === 'phase.abort') {
        system.scheduler.cancel(self, replyId(phase));
        return;
      }
      if (event.type === 'action.done') {
        handlers.other?.(event);
        return;
      }
      if (event.type !== runType) return;
      const loop = system.get('loop');
      if (loop === undefined) return;
      let work: PhaseWork;
      try {
        work = handlers.run(event as Extract<PhaseRequest, { type: R }>);
      } catch (cause) {
        const error: MapekError = mapekError(
          FAILURE_KIND[phase],
          `the ${phase} phase failed: ${String(cause)}`,
          {
            field: phase,
            cause,
          },
        );
        work = { reply: { type: 'phase.failed', from: phase, cycle: event.cycle, error }, costMs: 0 };
      }
      system.scheduler.schedule(self, loop, work.reply, work.costMs, replyId(phase));
    });
    return handlers.cleanup;
  });

/** Sends an update to the knowledge actor. */
const teach = (system: AnyActorSystem, from: SystemId, update: KnowledgeUpdate) => {
  const message: KnowledgeMessage = { ...update, from };
  system.get('knowledge')?.send(message);
};

/**
 * Monitor: the actor face of the monitor's beat (`MonitorBeat`), which samples the sensors every cycle on its
 * own and ends quiet cycles itself. This actor connects the beat to the actor system: cycles with something to
 * analyze go to the loop, quiet cycles' history records to knowledge, every scrape to the beat (which may start
 * a waiting cycle early), and the loop's `monitor.next` and `phase.abort` back to the beat.
 */
export const monitorActor = fromCallback<PhaseRequest, LoopRuntime>(({ input: runtime, receive, system }) => {
  const beat = runtime.beat;
  const unsubscribe = runtime.ctx.sensors.onScrape(() => beat.scraped());
  beat.start({
    handOver: (event) => system.get('loop')?.send(event),
    record: (records) => teach(system, 'monitor', { type: 'knowledge.cycles', records }),
  });
  receive((event) => {
    runtime.heard(event, 'monitor');
    if (event.type === 'monitor.next') beat.next(event.cycle, event.atMs);
    else if (event.type === 'phase.abort') beat.abort();
  });
  return () => {
    beat.stop();
    unsubscribe();
  };
});

/**
 * The services the loop mitigates, with the capacity their whole demand must fit before the mitigation is
 * lifted: what they served while they failed, or their declared capacity in rotation if that is more (the
 * failure may have been measured while a node was also down). Read only while a mitigation is in place.
 */
const mitigationCapacities = (
  runtime: LoopRuntime,
): ReadonlyMap<ServiceId, { capacityRps: number; bridge: boolean }> => {
  const out = new Map<ServiceId, { capacityRps: number; bridge: boolean }>();
  for (const [service, m] of runtime.knowledge.mitigations) {
    const declared = runtime.ctx.sensors.declaredCapacityRps(service);
    out.set(service, { capacityRps: Math.max(m.capacityRps, declared), bridge: isBridge(m) });
  }
  return out;
};

/** Analyze: symptoms to diagnosed failures; reports each new one once and forgets those that are gone. */
export const analyzeActor = phaseActor('analyze', 'analyze.run', ({ runtime, system }) => {
  let streaks: ReadonlyMap<string, number> = new Map();
  return {
    run: (r) => {
      const known = [...runtime.knowledge.failures.values()];
      const out = analyze({
        sample: r.sample,
        nowMs: runtime.now(),
        missedHeartbeats: runtime.config.missedHeartbeats,
        heartbeatIntervalMs: runtime.ctx.sensors.heartbeatIntervalMs,
        known,
        streaks,
        history: (node) => runtime.knowledge.nodeHistory(node, runtime.now()),
        quarantined: runtime.knowledge.quarantined,
        mitigations: mitigationCapacities(runtime),
      });
      streaks = out.streaks;
      for (const d of out.wentDown) teach(system, 'analyze', { type: 'knowledge.node-down', ...d });
      for (const f of out.result.newFailures) {
        // Keeping a flapping node out, and letting it back, are the loop's own decisions, not detections.
        if (isDetection(f)) {
          for (const component of f.nodes.length > 0 ? f.nodes : [f.component]) {
            runtime.ctx.reportDetection({ component, diagnosis: f.type });
          }
        }
        teach(system, 'analyze', { type: 'knowledge.detected', failure: f });
      }
      const present = new Set(out.result.failures.map((f) => f.key));
      for (const k of known) {
        if (!present.has(k.key) && k.status !== 'recovering' && k.status !== 'verifying') {
          teach(system, 'analyze', { type: 'knowledge.forget', key: k.key });
        }
      }
      return {
        reply: { type: 'analyze.done', from: 'analyze', cycle: r.cycle, analysis: out.result },
        costMs: runtime.config.analyzeTimeMs + runtime.config.phaseItemTimeMs * r.sample.symptoms.length,
      };
    },
  };
});

/** Plan: picks a strategy for each failure not in hand; escalates or gives up when the catalog runs out. */
export const planActor = phaseActor('plan', 'plan.run', ({ runtime, system }) => ({
  run: (r) => {
    const topology = r.sample.state.topology ?? EMPTY_TOPOLOGY;
    const out = plan({
      analysis: r.analysis,
      topology,
      suspected: r.sample.state.suspectedNodes,
      knowledge: runtime.knowledge,
      escalateAfterFailures: runtime.config.escalateAfterFailures,
      ...(runtime.strategies === undefined ? {} : { strategies: runtime.strategies }),
    });
    for (const key of out.escalated) runtime.note('mapek.escalated', 'plan', { failure: key });
    for (const key of out.abandoned) {
      runtime.note('mapek.abandoned', 'plan', { failure: key });
      teach(system, 'plan', { type: 'knowledge.status', key, status: 'abandoned', escalated: true });
    }
    for (const key of out.contained)
      teach(system, 'plan', { type: 'knowledge.status', key, status: 'contained' });
    for (const p of out.plans) {
      // The loop's own power cycles: their `starting` is expected, any other is a crash rebooting by itself.
      for (const a of p.actions)
        if (a.request.kind === 'restart-node')
          teach(system, 'plan', { type: 'knowledge.rebooting', node: a.request.node, atMs: runtime.now() });
      runtime.note('mapek.planned', 'plan', {
        failure: p.failure.key,
        strategy: p.strategy,
        attempt: p.attempt,
        utility: p.expectedUtility,
      });
    }
    if (r.sample.state.topology !== undefined && out.considered > 0) {
      teach(system, 'plan', {
        type: 'knowledge.topology',
        topology: {
          atMs: topology.atMs,
          nodes: [...topology.byNode.keys()],
          services: [...topology.byService.keys()],
          replicas: topology.placements.length,
        },
      });
    }
    return {
      reply: {
        type: 'plan.done',
        from: 'plan',
        cycle: r.cycle,
        plans: out.plans,
        escalated: [...out.escalated, ...out.abandoned],
      },
      costMs: runtime.config.planTimeMs + runtime.config.phaseItemTimeMs * out.considered,
    };
  },
}));

/** Execute: reviews the recoveries in flight against fresh observations, then dispatches the new plans. */
export const executeActor = phaseActor('execute', 'execute.run', ({ runtime, system, self }) => {
  const tracker = new RecoveryTracker(
    {
      dispatch: (request, onDone) => {
        runtime.ctx.effectors.execute(request, onDone);
      },
      deliver: (key, attempt, outcome) => {
        const done: ActionDone = { type: 'action.done', from: 'effectors', key, attempt, outcome };
        self.send(done);
      },
      learn: (update) => teach(system, 'execute', update),
      trace: (kind, fields) => runtime.note(kind, 'execute', fields),
      nowMs: runtime.now,
    },
    runtime.config.maxRecoveryTimeMs,
    runtime.config.verifyDelayMs,
  );
  return {
    run: (r) => {
      const review = tracker.review(r.sample, r.analysis);
      let dispatched = 0;
      for (const p of r.plans) dispatched += tracker.start(p);
      const execution: ExecutionResult = {
        dispatched,
        started: r.plans.map((p) => p.failure.key),
        verified: review.verified,
        failed: review.failed,
        rolledBack: review.rolledBack,
        escalated: r.escalated,
        inFlight: tracker.inFlight,
      };
      return {
        reply: { type: 'execute.done', from: 'execute', cycle: r.cycle, execution },
        costMs: runtime.config.executeTimeMs + runtime.config.phaseItemTimeMs * dispatched,
      };
    },
    other: (event) => tracker.actionDone(event.key, event.attempt, event.outcome),
  };
});

/** Knowledge: the only writer of the knowledge base; every phase reads it. */
export const knowledgeActor = fromCallback<KnowledgeMessage, LoopRuntime>(({ input, receive }) => {
  receive((event) => {
    input.heard(event, 'knowledge');
    input.knowledge.apply(event);
  });
});
