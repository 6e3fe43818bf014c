/** The numbers of a crash-loop back-off, in sim milliseconds. */
export interface BackOffSettings {
  /** Wait before the second restart of a component. */
  readonly initialMs: number;
  /** The wait doubles after each restart up to this cap. */
  readonly maxMs: number;
  /** A failure this long after the previous one starts the curve again (the component ran fine meanwhile). */
  readonly resetAfterMs: number;
}

interface Entry {
  backoffMs: number;
  lastFailureMs: number;
}

/**
 * Crash-loop back-off per component, as the kubelet keeps it (`flowcontrol.Backoff`): the first restart after
 * a failure is immediate; each later one waits `initial`, then twice that, up to `max`, counted from the
 * failure; a failure more than `resetAfter` after the previous one counts as a first failure again.
 */
export class CrashLoopBackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly settings: BackOffSettings) {}

  /** Earliest time a component that failed at `failedAtMs` may be restarted. */
  restartAllowedAt(key: string, failedAtMs: number): number {
    const e = this.live(key, failedAtMs);
    return e === undefined ? failedAtMs : failedAtMs + e.backoffMs;
  }

  /** Records the restart that follows the failure at `failedAtMs`, which lengthens the next wait. */
  recordRestart(key: string, failedAtMs: number): void {
    const e = this.live(key, failedAtMs);
    const s = this.settings;
    if (e === undefined) this.entries.set(key, { backoffMs: s.initialMs, lastFailureMs: failedAtMs });
    else {
      e.backoffMs = Math.min(2 * e.backoffMs, s.maxMs);
      e.lastFailureMs = failedAtMs;
    }
  }

  /** The wait the next restart of `key` would get (0 when it would be immediate), for reports and tests. */
  currentBackOffMs(key: string, nowMs: number): number {
    const e = this.live(key, nowMs);
    return e === undefined ? 0 : e.backoffMs;
  }

  /** Forgets a component (its replica was deleted). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  private live(key: string, atMs: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (atMs - e.lastFailureMs > this.settings.resetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
