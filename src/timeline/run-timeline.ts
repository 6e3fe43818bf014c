import type { AnyEventObject, InspectionEvent } from 'xstate';
import type { Cluster } from '../cluster/cluster.ts';
import type { ActionRecord } from '../cluster/effectors.ts';
import type { MapekCycleResult } from '../mapek/types.ts';
import type { DetectionReport } from '../measures/fault-measures.ts';
import type { LevelChange } from '../measures/service-level.ts';
import { type CycleRun, CycleRunBuilder } from './cycle-runs.ts';
import type { ServiceSeries } from './series.ts';
import { SeriesRecorder } from './series-recorder.ts';
import { type TimelineCycle, timelineCycle } from './timeline-cycle.ts';

export type { CycleStatus, TimelineCycle } from './timeline-cycle.ts';

/** A failure the MAPE-K loop diagnosed, as its analysis named it (its root cause, not the ground truth). */
export interface LoopDiagnosis {
  readonly atMs: number;
  readonly cycle: number;
  /** `<type>:<component>`, the failure's identity across cycles. */
  readonly key: string;
  readonly type: string;
  readonly cause: string;
  /** The analysis' explanation in words. */
  readonly rootCause: string;
  readonly nodes: readonly string[];
  readonly services: readonly string[];
  readonly severity: number;
}

/** A write to the loop's knowledge (the knowledge actor's messages, cycle records aside). */
export interface KnowledgeRecord {
  readonly atMs: number;
  /** `detected`, `status`, `outcome`, `forget` or `topology`. */
  readonly update: string;
  /** The phase that sent it. */
  readonly from: string;
  /** The failure it is about, if any. */
  readonly key: string | null;
  /** What changed, in a few words. */
  readonly detail: string;
}

/** What a report draws of a run over time, besides the journal's per-fault measures. */
export interface RunTimeline<A = ActionRecord> {
  /** Each service's level over time (ground truth). */
  readonly series: readonly ServiceSeries[];
  /** The cluster-wide healthy level's changes (ground truth; healthy before the first). */
  readonly levelChanges: readonly LevelChange[];
  /** Every detection the controller reported (what MTTD is measured on). */
  readonly detections: readonly DetectionReport[];
  /** Every action the controller took, from the effectors' ledger, in dispatch order. */
  readonly actions: readonly A[];
  /** The loop's diagnoses with their root cause (MAPE-K only; empty for a baseline). */
  readonly diagnoses: readonly LoopDiagnosis[];
  /** Every cycle that planned, dispatched or went wrong, whole (MAPE-K only; empty for a baseline). */
  readonly busyCycles: readonly TimelineCycle[];
  /** Every other cycle, as runs of alike cycles (MAPE-K only; empty for a baseline): {@link CycleRun}. */
  readonly quietCycles: readonly CycleRun[];
  /** Every knowledge update but the per-cycle record (MAPE-K only). */
  readonly knowledge: readonly KnowledgeRecord[];
}

const field = (x: unknown, k: string): unknown =>
  typeof x === 'object' && x !== null && k in x ? (x as Record<string, unknown>)[k] : undefined;
const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/** What each update says, in a few words. */
const DETAIL: Readonly<Record<string, (e: AnyEventObject) => { key: string | null; detail: string }>> = {
  'knowledge.detected': (e) => ({
    key: text(field(field(e, 'failure'), 'key')),
    detail: `detected (${text(field(field(e, 'failure'), 'cause')) ?? '?'})`,
  }),
  'knowledge.status': (e) => ({
    key: text(field(e, 'key')),
    detail: [text(field(e, 'status')), text(field(e, 'strategy'))].filter((x) => x !== null).join(' '),
  }),
  'knowledge.outcome': (e) => {
    const o = field(e, 'outcome');
    return {
      key: text(field(o, 'key')),
      detail: `${text(field(o, 'strategy')) ?? '?'} ${field(o, 'ok') === true ? 'succeeded' : 'failed'}: ${text(field(o, 'reason')) ?? ''}`,
    };
  },
  'knowledge.forget': (e) => ({ key: text(field(e, 'key')), detail: 'forgotten' }),
  'knowledge.topology': (e) => ({
    key: null,
    detail: `inventory: ${String(field(field(e, 'topology'), 'replicas') ?? '?')} replicas`,
  }),
};

/** A knowledge message as the timeline keeps it; null for the per-cycle record and anything unknown. */
const knowledgeRecord = (atMs: number, e: AnyEventObject): KnowledgeRecord | null => {
  const describe = DETAIL[e.type];
  if (describe === undefined) return null;
  return {
    atMs,
    update: e.type.slice('knowledge.'.length),
    from: text(field(e, 'from')) ?? '?',
    ...describe(e),
  };
};

/**
 * Collects a run's timeline while it runs: attach it to the cluster before the world starts, give the loop
 * its `onCycle` and `inspect`, and `finish` it with what the world recorded. Nothing of it is traced, so the trace hash is
 * the same with and without it.
 */
export class TimelineRecorder {
  private readonly recorder: SeriesRecorder;
  private readonly cycles = new CycleRunBuilder();
  private readonly diagnoses: LoopDiagnosis[] = [];
  private readonly knowledge: KnowledgeRecord[] = [];

  constructor(
    cluster: Cluster,
    private readonly now: () => number,
  ) {
    this.recorder = new SeriesRecorder(cluster.services);
    cluster.listen(this.recorder);
  }

  /** The loop's cycle observer. */
  readonly onCycle = (r: MapekCycleResult): void => {
    this.cycles.add(timelineCycle(r));
    // Reported when analysis ran, at the end of monitoring (as the world's detections are).
    const at = r.startedAtMs + r.detectionTimeMs;
    for (const f of r.analysis?.newFailures ?? []) {
      this.diagnoses.push({
        atMs: at,
        cycle: r.cycle,
        key: f.key,
        type: f.type,
        cause: f.cause,
        rootCause: f.rootCause,
        nodes: [...f.nodes],
        services: [...f.services],
        severity: Math.round(f.severity * 1000) / 1000,
      });
    }
  };

  /** The loop's inspection observer: keeps what its phases teach the knowledge actor. */
  readonly inspect = (e: InspectionEvent): void => {
    if (e.type !== '@xstate.event' || !e.event.type.startsWith('knowledge.')) return;
    const record = knowledgeRecord(this.now(), e.event);
    if (record !== null) this.knowledge.push(record);
  };

  /** The timeline, with the world's level changes, detections and action ledger. */
  finish(world: {
    readonly levelChanges: readonly LevelChange[];
    readonly detections: readonly DetectionReport[];
    readonly actions: readonly ActionRecord[];
  }): RunTimeline {
    return {
      series: this.recorder.series(),
      levelChanges: world.levelChanges,
      detections: world.detections,
      actions: world.actions,
      diagnoses: this.diagnoses,
      ...this.cycles.result(),
      knowledge: this.knowledge,
    };
  }
}
