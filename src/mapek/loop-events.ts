import type { ActionOutcome } from '../cluster/actions.ts';
import type { ControllerContext } from '../world/controller.ts';
import type { MapekConfig } from './config.ts';
import type { MapekError } from './errors.ts';
import type { CycleRecord, KnowledgeBase, KnowledgeUpdate } from './knowledge-base.ts';
import type { MonitorSample } from './monitor.ts';
import type { Strategy } from './strategy.ts';
import type { AnalysisResult, ExecutionResult, MapekCycleResult, RecoveryPlan } from './types.ts';

/** The systemIds of the loop's actors: how the trace names them. */
export type SystemId = 'loop' | 'monitor' | 'analyze' | 'plan' | 'execute' | 'knowledge';

/** The four phases, by the systemId of their actor. */
export type PhaseId = 'monitor' | 'analyze' | 'plan' | 'execute';

/** Events the loop sends to its phases. */
export type PhaseRequest =
  /** After a cycle the statechart ran: the monitor's beat resumes with cycle `cycle` at `atMs`. */
  | {
      readonly type: 'monitor.next';
      readonly from: 'loop';
      readonly cycle: number;
      readonly atMs: number;
    }
  | {
      readonly type: 'analyze.run';
      readonly from: 'loop';
      readonly cycle: number;
      readonly sample: MonitorSample;
    }
  | {
      readonly type: 'plan.run';
      readonly from: 'loop';
      readonly cycle: number;
      readonly sample: MonitorSample;
      readonly analysis: AnalysisResult;
    }
  | {
      readonly type: 'execute.run';
      readonly from: 'loop';
      readonly cycle: number;
      readonly sample: MonitorSample;
      readonly analysis: AnalysisResult;
      readonly plans: readonly RecoveryPlan[];
      /** Failures the planner escalated or gave up on in this cycle. */
      readonly escalated: readonly string[];
    }
  /** The cycle was cut off: drop the reply still pending. */
  | { readonly type: 'phase.abort'; readonly from: 'loop'; readonly cycle: number };

/** An effector action of a recovery finished (delivered to the execute actor). */
export interface ActionDone {
  readonly type: 'action.done';
  readonly from: 'effectors';
  readonly key: string;
  readonly attempt: number;
  readonly outcome: ActionOutcome;
}

/** Events the phases send back to the loop, each after its phase's sim time. */
export type PhaseReply =
  | {
      readonly type: 'monitor.done';
      readonly from: 'monitor';
      readonly cycle: number;
      /** When the cycle started: the monitor's beat keeps the schedule between the cycles it hands over. */
      readonly startedAtMs: number;
      readonly sample: MonitorSample;
    }
  /** A cycle whose monitor phase cannot end within `maxCycleTime`, handed over as it starts, for the deadline. */
  | {
      readonly type: 'monitor.started';
      readonly from: 'monitor';
      readonly cycle: number;
      readonly startedAtMs: number;
    }
  | {
      readonly type: 'analyze.done';
      readonly from: 'analyze';
      readonly cycle: number;
      readonly analysis: AnalysisResult;
    }
  | {
      readonly type: 'plan.done';
      readonly from: 'plan';
      readonly cycle: number;
      readonly plans: readonly RecoveryPlan[];
      readonly escalated: readonly string[];
    }
  | {
      readonly type: 'execute.done';
      readonly from: 'execute';
      readonly cycle: number;
      readonly execution: ExecutionResult;
    }
  | {
      readonly type: 'phase.failed';
      readonly from: PhaseId;
      readonly cycle: number;
      readonly error: MapekError;
      /** When the cycle started, when the monitor's beat (which started it) reports the failure. */
      readonly startedAtMs?: number;
    };

/** What the monitor's beat hands the statechart: a cycle to run, or one whose monitor phase failed. */
export type MonitorHandover =
  | Extract<PhaseReply, { readonly from: 'monitor' }>
  | Extract<PhaseReply, { readonly type: 'phase.failed' }>;

/** Where the monitor's beat sends what it does not handle itself. */
export interface BeatOutlets {
  /** A cycle for the coordinating statechart: one with something to analyze, or one that failed. */
  readonly handOver: (event: MonitorHandover) => void;
  /** Quiet cycles' history records, in cycle order, for the knowledge actor to apply. */
  readonly record: (records: readonly CycleRecord[]) => void;
}

/** The monitor's beat (`MonitorBeat`), as the monitor actor drives it. */
export interface Beat {
  start(outlets: BeatOutlets): void;
  next(cycle: number, atMs: number): void;
  scraped(): void;
  abort(): void;
  stop(): void;
}

/** An update sent to the knowledge actor, with its sender. */
export type KnowledgeMessage = KnowledgeUpdate & { readonly from: SystemId };

/** Any event exchanged between the loop's actors. */
export type LoopMessage = PhaseRequest | PhaseReply | ActionDone | KnowledgeMessage;

/** What every actor of the loop shares: the world's controller context, the config, knowledge, and the trace. */
export interface LoopRuntime {
  readonly config: MapekConfig;
  /** The planner's strategies when a catalog file chose them; absent: the built-in catalog. */
  readonly strategies?: readonly Strategy[];
  readonly ctx: ControllerContext;
  readonly knowledge: KnowledgeBase;
  readonly now: () => number;
  /** Writes an exchanged event to the trace, by sender and receiver systemId and sim time. */
  readonly heard: (event: LoopMessage, target: SystemId) => void;
  /** The monitor's beat: it runs the quiet cycles and hands the statechart the others. */
  readonly beat: Beat;
  /** Writes one of the loop's decisions to the trace. */
  readonly note: (kind: string, source: SystemId, fields: Readonly<Record<string, unknown>>) => void;
  /** Called with every finished (or cut off) cycle. */
  readonly onCycle: (result: MapekCycleResult) => void;
}
