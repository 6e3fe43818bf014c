import type { SimKernel } from '../../sim/kernel.ts';
import type { Network } from '../network.ts';
import type { NodeRuntime } from '../runtime/records.ts';
import { HeartbeatNoise, NO_HEARTBEAT_NOISE } from './heartbeat-noise.ts';

/** Rounding margin of the scan's cut-off, far below a millisecond and far above a double's error at a day. */
const EPSILON_MS = 1e-3;

/**
 * Heartbeats in closed form: a node up and linked to the control plane sends one every interval at its own
 * phase, and each arrives a delay later, plus its seeded jitter, or later still when a pause of the node held
 * it back (src/cluster/heartbeats/heartbeat-noise.ts). Nothing is scheduled per heartbeat: the last arrival by any time is
 * computed from when the current flow started, so heartbeats cost no events however long the run.
 * Owns its state as typed arrays indexed by node; nothing else writes them.
 */
export class Heartbeats {
  /** Heartbeats reach the control plane since this time; NaN while they do not. */
  private readonly sinceMs: Float64Array;
  /** The delay the current flow travels with. */
  private readonly delayMs: Float64Array;
  /** Arrival time of the last heartbeat before the current flow started or stopped. */
  private readonly lastBeforeMs: Float64Array;
  /** Its send time (kept, not derived: the delay it travelled with may have changed since). */
  private readonly lastSentBeforeMs: Float64Array;
  private readonly phase: Float64Array;
  /** Scratch results of `findLast`. */
  private foundArrivalMs = 0;
  private foundSentMs = 0;

  constructor(
    count: number,
    private readonly intervalMs: number,
    baseDelayMs: number,
    private readonly kernel: SimKernel,
    private readonly network: Network,
    private readonly noise: HeartbeatNoise = new HeartbeatNoise(NO_HEARTBEAT_NOISE, new Uint32Array(count)),
  ) {
    this.sinceMs = new Float64Array(count);
    this.delayMs = new Float64Array(count).fill(baseDelayMs);
    this.lastBeforeMs = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
    this.lastSentBeforeMs = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
    this.phase = new Float64Array(count);
    // Spread heartbeats over the interval without drawing randomness: a fixed stride coprime-ish to it.
    for (let i = 0; i < count; i++) this.phase[i] = (i * 7_919) % intervalMs;
  }

  /** The node's fixed send phase within the interval. */
  phaseMs(index: number): number {
    return this.phase[index] ?? 0;
  }

  /** The delay heartbeats of the node travel with now. */
  delayOf(index: number): number {
    return this.delayMs[index] ?? 0;
  }

  /**
   * Finds the last heartbeat of the current flow received by `nowMs` and leaves its arrival and send times
   * in `foundArrivalMs` and `foundSentMs` (no allocation: this runs for every node every cycle). Without
   * noise it is the one due at the last phase a delay ago; with noise, the latest arrival among the few
   * heartbeats noise could have held back that long (`maxExtraMs`), each derived from the noise keys.
   */
  private findLast(i: number, nowMs: number): boolean {
    const since = this.sinceMs[i] ?? Number.NaN;
    if (Number.isNaN(since)) return false;
    const phase = this.phase[i] ?? 0;
    const delay = this.delayMs[i] ?? 0;
    const interval = this.intervalMs;
    const top = Math.floor((nowMs - delay - phase) / interval);
    if (!this.noise.any) {
      const due = phase + top * interval;
      if (due < since) return false;
      this.foundSentMs = due;
      this.foundArrivalMs = due + delay;
      return true;
    }
    const extra = this.noise.maxExtraMs;
    const deepest = top - Math.ceil(extra / interval);
    let found = false;
    for (let k = top; k >= deepest; k--) {
      const due = phase + k * interval;
      if (due < since) break;
      // Noise holds a heartbeat back by at most `extra`, so once one found arrived and left later than the
      // latest this one could, no older one can be later either (a margin over rounding): at the defaults
      // (1 s apart, at most 0.55 s of noise) the newest heartbeat received settles it alone.
      if (
        found &&
        due + extra + EPSILON_MS < this.foundSentMs &&
        due + delay + extra + EPSILON_MS < this.foundArrivalMs
      )
        break;
      const sent = this.noise.sendMs(i, due);
      const arrival = sent + delay + this.noise.jitterMs(i, k);
      if (arrival > nowMs) continue;
      if (!found || arrival > this.foundArrivalMs) this.foundArrivalMs = arrival;
      if (!found || sent > this.foundSentMs) this.foundSentMs = sent;
      found = true;
    }
    return found;
  }

  /** Arrival time at the control plane of the last heartbeat received by `nowMs`. */
  lastMs(node: NodeRuntime, nowMs: number): number {
    const i = node.index;
    return this.findLast(i, nowMs) ? this.foundArrivalMs : (this.lastBeforeMs[i] ?? 0);
  }

  /**
   * Send time of the last heartbeat received by `nowMs` (heartbeats carry the time they were sent, as lease
   * renewals and gossip messages do).
   */
  lastSentMs(node: NodeRuntime, nowMs: number): number {
    const i = node.index;
    return this.findLast(i, nowMs) ? this.foundSentMs : (this.lastSentBeforeMs[i] ?? 0);
  }

  /** Arrival times of heartbeats received in (fromMs, nowMs], oldest first, at most `max` of the newest. */
  arrivals(node: NodeRuntime, fromMs: number, nowMs: number, max: number): number[] {
    const i = node.index;
    const out: number[] = [];
    const since = this.sinceMs[i] ?? Number.NaN;
    if (!Number.isNaN(since)) {
      const phase = this.phase[i] ?? 0;
      const delay = this.delayMs[i] ?? 0;
      const interval = this.intervalMs;
      const top = Math.floor((nowMs - delay - phase) / interval);
      // The newest `max` arrivals are among the newest `max` heartbeats and the few noise can reorder.
      const deepest = top - max - Math.ceil(this.noise.maxExtraMs / interval);
      for (let k = top; k >= deepest; k--) {
        const due = phase + k * interval;
        if (due < since || due + delay + this.noise.maxExtraMs <= fromMs) break;
        const arrival = this.noise.sendMs(i, due) + delay + this.noise.jitterMs(i, k);
        if (arrival > fromMs && arrival <= nowMs) out.push(arrival);
      }
    }
    const before = this.lastBeforeMs[i] ?? 0;
    if (before > fromMs && !out.includes(before)) out.push(before);
    out.sort((a, b) => a - b);
    return out.length > max ? out.slice(out.length - max) : out;
  }

  /** Starts or stops the flow after the node's state or its link to the control plane changed. */
  refresh(node: NodeRuntime): void {
    const flowing = node.state === 'up' && this.network.nodeToControl[node.index] === 1;
    if (!flowing) this.stop(node);
    else if (Number.isNaN(this.sinceMs[node.index] ?? 0)) this.sinceMs[node.index] = this.kernel.nowMs;
  }

  /** A starved node sends its heartbeats late: a new delay restarts the flow with it. */
  setDelay(node: NodeRuntime, delayMs: number): void {
    if (delayMs === this.delayMs[node.index]) return;
    this.stop(node);
    this.delayMs[node.index] = delayMs;
    this.refresh(node);
  }

  private stop(node: NodeRuntime): void {
    const i = node.index;
    if (Number.isNaN(this.sinceMs[i] ?? 0)) return;
    const now = this.kernel.nowMs;
    this.lastSentBeforeMs[i] = this.lastSentMs(node, now);
    this.lastBeforeMs[i] = this.lastMs(node, now);
    this.sinceMs[i] = Number.NaN;
  }
}
