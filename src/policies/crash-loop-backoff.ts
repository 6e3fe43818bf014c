/** The numbers of a crash-loop back-off, in sim milliseconds. */
export interface BackOffSettings {
  /** Wait before the second restart of a component. */
  readonly initialMs: number;
  /** The wait doubles after each restart up to this cap. */
  readonly maxMs: number;
  /**
   * A component that has run this long since its last restart before failing again starts the curve over
   * (it ran fine meanwhile): the kubelet's "after containers run for 10 minutes without any problems".
   */
  readonly resetAfterMs: number;
}

interface Entry {
  backoffMs: number;
  /** When the component was last restarted: its running time is counted from here. */
  lastRestartMs: number;
}

/**
 * Crash-loop back-off per component, as the kubelet keeps it (`flowcontrol.Backoff`): the first restart after
 * a failure is immediate; each later one waits `initial`, then twice that, up to `max`, counted from the
 * failure; a component that ran for `resetAfter` since its last restart before it failed counts as failing
 * for the first time again. (Counting from the previous failure instead, the wait itself counted as running:
 * after a 5 min wait, a failure 5 min and a second into the run reset the curve where 300 s was due.)
 */
export class CrashLoopBackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly settings: BackOffSettings) {}

  /** Earliest time a component that failed at `failedAtMs` may be restarted. */
  restartAllowedAt(key: string, failedAtMs: number): number {
    const e = this.live(key, failedAtMs);
    return e === undefined ? failedAtMs : failedAtMs + e.backoffMs;
  }

  /**
   * Records the restart, at `restartedAtMs`, that follows the failure at `failedAtMs`: it lengthens the next
   * wait, and the component's running time counts from it.
   */
  recordRestart(key: string, failedAtMs: number, restartedAtMs: number): void {
    const e = this.live(key, failedAtMs);
    const s = this.settings;
    if (e === undefined) this.entries.set(key, { backoffMs: s.initialMs, lastRestartMs: restartedAtMs });
    else {
      e.backoffMs = Math.min(2 * e.backoffMs, s.maxMs);
      e.lastRestartMs = restartedAtMs;
    }
  }

  /**
   * The wait the restart of `key` after a failure at `nowMs` would get (0 when it would be immediate), for
   * reports and tests.
   */
  currentBackOffMs(key: string, nowMs: number): number {
    const e = this.live(key, nowMs);
    return e === undefined ? 0 : e.backoffMs;
  }

  /** Forgets a component (its replica was deleted). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** The curve of `key` for a failure at `failedAtMs`, unless the component ran long enough to reset it. */
  private live(key: string, failedAtMs: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (failedAtMs - e.lastRestartMs >= this.settings.resetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
