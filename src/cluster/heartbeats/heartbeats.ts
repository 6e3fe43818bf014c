import type { SimKernel } from '../../sim/kernel.ts';
import type { Network } from '../network.ts';
import type { NodeRuntime } from '../runtime.ts';

/**
 * Heartbeats in closed form: a node up and linked to the control plane sends one every interval at its own
 * phase, and each arrives a delay later. Nothing is scheduled per heartbeat: the last arrival by any time is
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

  constructor(
    count: number,
    private readonly intervalMs: number,
    baseDelayMs: number,
    private readonly kernel: SimKernel,
    private readonly network: Network,
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

  /** Send time of the last heartbeat of the current flow received by `nowMs`; null if none has arrived yet. */
  private flowingSentMs(i: number, nowMs: number): number | null {
    const since = this.sinceMs[i] ?? Number.NaN;
    if (Number.isNaN(since)) return null;
    const phase = this.phase[i] ?? 0;
    const k = Math.floor((nowMs - (this.delayMs[i] ?? 0) - phase) / this.intervalMs);
    const sent = phase + k * this.intervalMs;
    return sent >= since ? sent : null;
  }

  /** Arrival time at the control plane of the last heartbeat received by `nowMs`. */
  lastMs(node: NodeRuntime, nowMs: number): number {
    const i = node.index;
    const sent = this.flowingSentMs(i, nowMs);
    return sent === null ? (this.lastBeforeMs[i] ?? 0) : sent + (this.delayMs[i] ?? 0);
  }

  /**
   * Send time of the last heartbeat received by `nowMs` (heartbeats carry the time they were sent, as lease
   * renewals and gossip messages do).
   */
  lastSentMs(node: NodeRuntime, nowMs: number): number {
    return this.flowingSentMs(node.index, nowMs) ?? this.lastSentBeforeMs[node.index] ?? 0;
  }

  /** Arrival times of heartbeats received in (fromMs, nowMs], oldest first, at most `max` of the newest. */
  arrivals(node: NodeRuntime, fromMs: number, nowMs: number, max: number): number[] {
    const i = node.index;
    const out: number[] = [];
    let t = this.lastMs(node, nowMs);
    const since = this.sinceMs[i] ?? Number.NaN;
    const delay = this.delayMs[i] ?? 0;
    while (t > fromMs && out.length < max && !Number.isNaN(since) && t - delay >= since) {
      out.push(t);
      t -= this.intervalMs;
    }
    const before = this.lastBeforeMs[i] ?? 0;
    if (out.length < max && before > fromMs && !out.includes(before)) out.push(before);
    return out.reverse();
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
