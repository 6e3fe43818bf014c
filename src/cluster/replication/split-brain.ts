import type { Trace } from '../../sim/trace.ts';
import { isAlive } from '../reach.ts';
import type { ServiceRuntime } from '../runtime/records.ts';

/** How long two primaries of one service have accepted writes at once, across the cluster. */
export class SplitBrainClock {
  private sinceMs: number | null = null;
  private totalSoFarMs = 0;

  constructor(private readonly trace: Trace) {}

  /** Total time so far with two primaries accepting writes. */
  totalMs(nowMs: number): number {
    return this.totalSoFarMs + (this.sinceMs === null ? 0 : nowMs - this.sinceMs);
  }

  /** Whether two primaries of one service accept writes right now. */
  get now(): boolean {
    return this.sinceMs !== null;
  }

  /** Starts or stops the clock after a stateful service's roles changed. */
  refresh(services: readonly ServiceRuntime[], nowMs: number): void {
    let split = false;
    for (const s of services) {
      if (s.spec.stateful === undefined) continue;
      let accepting = 0;
      for (const r of s.replicas) if (r.role === 'primary' && isAlive(r) && !r.fenced) accepting++;
      if (accepting > 1) split = true;
    }
    if (split && this.sinceMs === null) {
      this.sinceMs = nowMs;
      this.trace.record({ t: nowMs, kind: 'cluster.split-brain', source: 'cluster' });
    } else if (!split && this.sinceMs !== null) {
      this.totalSoFarMs += nowMs - this.sinceMs;
      this.sinceMs = null;
    }
  }
}
