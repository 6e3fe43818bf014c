import { EventQueue, type QueueEntry } from './event-queue.ts';

/** A scheduled callback that can still be cancelled. */
export type TimerHandle = QueueEntry;

/** Thrown for programmer errors only (scheduling into the past): a simulation bug, not bad input. */
export class KernelMisuse extends Error {
  readonly kind = 'KernelMisuse';
}

/**
 * The discrete-event core: an integer-millisecond virtual clock that jumps from event to event.
 * Cost grows with the number of events, never with the simulated duration.
 */
export class SimKernel {
  private readonly queue = new EventQueue();
  private now = 0;
  private fired = 0;

  /** Current simulated time in milliseconds. */
  get nowMs(): number {
    return this.now;
  }

  /** Number of events fired so far. */
  get firedCount(): number {
    return this.fired;
  }

  /** Number of events still waiting to fire. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /** Schedules `fire` at absolute time `atMs` (rounded up to a whole millisecond). */
  at(atMs: number, fire: () => void): TimerHandle {
    const t = Math.ceil(atMs);
    if (!(t >= this.now))
      throw new KernelMisuse(`cannot schedule at ${atMs} ms: the clock is already at ${this.now} ms`);
    return this.queue.push(t, fire);
  }

  /** Schedules `fire` after `delayMs` of simulated time. A zero delay fires later in the same instant. */
  after(delayMs: number, fire: () => void): TimerHandle {
    return this.at(this.now + Math.max(0, delayMs), fire);
  }

  cancel(handle: TimerHandle): void {
    this.queue.cancel(handle);
  }

  /** Time of the next pending event, or undefined when idle. */
  nextEventAtMs(): number | undefined {
    return this.queue.peek()?.atMs;
  }

  /** Fires the next event. Returns false when there is none. */
  step(): boolean {
    const entry = this.queue.pop();
    if (entry === undefined) return false;
    this.now = entry.atMs;
    this.fired++;
    entry.fire();
    return true;
  }

  /**
   * Fires every event due at or before `endMs`, including events those events schedule for the same
   * instant, then leaves the clock at `endMs`.
   */
  runUntil(endMs: number): void {
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.atMs > endMs) break;
      this.step();
    }
    if (endMs > this.now) this.now = endMs;
  }

  /** Advances the clock by `durationMs`, firing everything due on the way. */
  runFor(durationMs: number): void {
    this.runUntil(this.now + durationMs);
  }

  /**
   * Runs until `done()` holds (checked after each event) or the clock would pass `limitMs`.
   * Returns whether `done()` held.
   */
  runWhile(done: () => boolean, limitMs: number): boolean {
    while (!done()) {
      const next = this.queue.peek();
      if (next === undefined || next.atMs > limitMs) {
        if (limitMs > this.now && Number.isFinite(limitMs)) this.now = limitMs;
        return done();
      }
      this.step();
    }
    return true;
  }
}
