import type { CallEdge, ServiceRuntime } from './runtime/records.ts';
import type { DependencyScrape } from './runtime/scrapes.ts';

/** The counters one edge's last reading was taken from. */
interface EdgeBase {
  calls: number;
  failed: number;
  timeouts: number;
  latency: number;
}

/** What a scrape adds to a service's reading for the call graph. */
export interface CallReading {
  readonly degradedRps: number;
  readonly dependencies: readonly DependencyScrape[];
}

const NONE: readonly DependencyScrape[] = [];

/**
 * The service mesh's per source/destination metrics: rates over the scrape interval from each edge's
 * integrated counters, noiseless (a proxy counts every call; the service readings carry the noise). A service
 * that calls nothing reads an empty list, shared, at no cost per scrape.
 */
export class DependencyReadings {
  private readonly edgeBases = new Map<CallEdge, EdgeBase>();
  private readonly degradedBase: number[] = [];
  private readonly atMs: number[] = [];

  /** The reading of `s` over the interval since its previous one (rates 0 at the first). */
  read(s: ServiceRuntime, nowMs: number): CallReading {
    const since = this.atMs[s.index];
    this.atMs[s.index] = nowMs;
    const dt = since === undefined ? 0 : (nowMs - since) / 1_000;
    const degraded = s.degradedTotal - (this.degradedBase[s.index] ?? 0);
    this.degradedBase[s.index] = s.degradedTotal;
    if (s.calls.length === 0) return { degradedRps: 0, dependencies: NONE };
    const dependencies = s.calls.map((e) => this.readEdge(e, dt));
    return { degradedRps: dt > 0 ? degraded / dt : 0, dependencies };
  }

  private readEdge(e: CallEdge, dt: number): DependencyScrape {
    const base = this.edgeBases.get(e);
    const now: EdgeBase = {
      calls: e.callTotal,
      failed: e.failedTotal,
      timeouts: e.timeoutTotal,
      latency: e.latencyTotal,
    };
    this.edgeBases.set(e, now);
    const calls = base === undefined ? 0 : now.calls - base.calls;
    const rate = (k: keyof EdgeBase): number =>
      base === undefined || calls <= 1e-9 ? 0 : (now[k] - base[k]) / calls;
    return {
      service: e.callee.spec.name,
      rps: dt > 0 ? calls / dt : 0,
      errorRate: Math.min(1, Math.max(0, rate('failed'))),
      latencyMs: Math.max(0, rate('latency')),
      timeoutRate: Math.min(1, Math.max(0, rate('timeouts'))),
      circuitOpen: e.circuitOpen,
    };
  }
}
