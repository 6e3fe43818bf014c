import type { NodeId } from '../cluster/ids.ts';
import type { TimerHandle } from '../sim/kernel.ts';
import { cycleRecordOf, cycleResult, freshCycle, nextCycleStart } from './cycle-result.ts';
import { mapekError } from './errors.ts';
import { type CycleRecord, type KnowledgeView, settledSilence } from './knowledge-base.ts';
import type { Beat, BeatOutlets, LoopRuntime, MonitorHandover } from './loop-events.ts';
import { Monitor, type MonitorSample } from './monitor.ts';
import { isCutOff } from './types.ts';

const NO_NODES: ReadonlySet<NodeId> = new Set();

/** Quiet cycles' history records are handed to knowledge in batches of at most this many. */
const QUIET_BATCH = 200;

/**
 * Whether a monitor sample shows nothing to analyze: no symptom, or only the silence of nodes whose failures
 * are already contained or abandoned, with every such failure still silent (one that has healed must reach
 * analysis, to be forgotten), no other failure in hand and no mitigation waiting to be lifted.
 */
export const nothingNew = (sample: MonitorSample, knowledge: KnowledgeView): boolean => {
  // A mitigation in place (shedding, a retry budget) is looked at every cycle until it is lifted.
  if (knowledge.mitigations.size > 0) return false;
  // A container in trouble (src/mapek/process-diagnosis.ts) is something to analyze, symptoms or not.
  if (sample.containers !== undefined) return false;
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

/**
 * The monitor's own beat, as the autonomic reference architecture has it: the monitor samples every cycle
 * and hands the coordinating statechart a cycle only when there is something to analyze. A quiet cycle (nothing
 * wrong, nothing in hand) is plain code on the kernel: its sample at the cycle's start, its end after
 * `monitorTimeMs`, its result to the loop's caller and its history record batched to knowledge; no actor event
 * and no trace line. A cycle with symptoms is handed over at the same instant its monitor phase ends, and the
 * statechart runs it and says when the next one starts (`next`). When the monitor phase cannot end within
 * `maxCycleTime`, every cycle is handed over as it starts, so the statechart's deadline cuts it off as before.
 */
export class MonitorBeat implements Beat {
  private readonly monitor: Monitor;
  private cycle = 1;
  private startedAtMs: number;
  private timer: TimerHandle | undefined;
  /** `waiting` for the cycle's start, `sampling` until the monitor phase ends, `handed` to the statechart. */
  private phase: 'waiting' | 'sampling' | 'handed' = 'waiting';
  private quiet: CycleRecord[] = [];
  private outlets: BeatOutlets | undefined;

  constructor(private readonly runtime: Omit<LoopRuntime, 'beat'>) {
    this.monitor = new Monitor(runtime.ctx.sensors, runtime.config, runtime.now());
    this.startedAtMs = runtime.now();
  }

  /** Starts beating: the first cycle is due now. */
  start(outlets: BeatOutlets): void {
    this.outlets = outlets;
    this.schedule();
  }

  /** The statechart's word after a cycle it ran: the next one is number `cycle`, due at `atMs`. */
  next(cycle: number, atMs: number): void {
    this.cycle = cycle;
    this.startedAtMs = atMs;
    this.phase = 'waiting';
    this.schedule();
  }

  /**
   * A scrape just landed. If it shows a service off its normal level while the next cycle waits, the cycle
   * starts now: a degradation is looked at when its evidence arrives, not up to a cycle later.
   */
  scraped(): void {
    const now = this.runtime.now();
    if (this.phase !== 'waiting' || this.startedAtMs <= now || !this.monitor.alerting()) return;
    this.runtime.note('mapek.alert', 'monitor', { cycle: this.cycle, due: this.startedAtMs });
    this.startedAtMs = now;
    this.schedule();
  }

  /** The statechart cut the cycle off: its monitor phase's end will not come. */
  abort(): void {
    this.cancel();
  }

  /** Hands knowledge the quiet cycles' records not yet handed over (before a cycle it runs, and on export). */
  flush(): void {
    if (this.quiet.length === 0) return;
    const records = this.quiet;
    this.quiet = [];
    this.outlets?.record(records);
  }

  /** Stops the beat; nothing more fires. */
  stop(): void {
    this.cancel();
    this.outlets = undefined;
  }

  private cancel(): void {
    if (this.timer !== undefined) this.runtime.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.cancel();
    const kernel = this.runtime.ctx.kernel;
    this.timer = kernel.after(Math.max(0, this.startedAtMs - kernel.nowMs), this.beat);
  }

  private readonly beat = (): void => {
    this.timer = undefined;
    this.phase = 'sampling';
    const { runtime } = this;
    const kernel = runtime.ctx.kernel;
    let sample: MonitorSample;
    try {
      const settled = settledSilence(runtime.knowledge.failures);
      const quietNodes =
        settled.failures.length === 0 ? NO_NODES : new Set(settled.failures.flatMap((f) => f.nodes));
      sample = this.monitor.sample(kernel.nowMs, !settled.all, quietNodes);
    } catch (cause) {
      const error = mapekError('MonitorFailed', `the monitor phase failed: ${String(cause)}`, {
        field: 'monitor',
        cause,
      });
      this.timer = kernel.after(0, () => {
        this.timer = undefined;
        this.handOver({
          type: 'phase.failed',
          from: 'monitor',
          cycle: this.cycle,
          startedAtMs: this.startedAtMs,
          error,
        });
      });
      return;
    }
    if (runtime.config.monitorTimeMs >= runtime.config.maxCycleTimeMs) {
      this.handOver({
        type: 'monitor.started',
        from: 'monitor',
        cycle: this.cycle,
        startedAtMs: this.startedAtMs,
      });
    }
    this.timer = kernel.after(runtime.config.monitorTimeMs, () => this.monitored(sample));
  };

  private monitored(sample: MonitorSample): void {
    this.timer = undefined;
    const { runtime } = this;
    const now = runtime.now();
    if (this.phase === 'sampling' && nothingNew(sample, runtime.knowledge)) {
      const cycle = freshCycle(this.cycle, this.startedAtMs, sample);
      const result = cycleResult(cycle, now, runtime.knowledge);
      runtime.onCycle(result);
      if (runtime.config.enableKnowledgeUpdates) {
        this.quiet.push(cycleRecordOf(result, sample.symptoms.length));
        if (this.quiet.length >= QUIET_BATCH) this.flush();
      }
      this.next(this.cycle + 1, nextCycleStart(this.startedAtMs, now, runtime.config.cycleIntervalMs));
      return;
    }
    this.handOver({
      type: 'monitor.done',
      from: 'monitor',
      cycle: this.cycle,
      startedAtMs: this.startedAtMs,
      sample,
    });
  }

  private handOver(event: MonitorHandover): void {
    this.phase = 'handed';
    this.flush();
    this.outlets?.handOver(event);
  }
}
