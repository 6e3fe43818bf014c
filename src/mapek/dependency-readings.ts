import type { ServiceId } from '../cluster/ids.ts';
import type { DependencyScrape } from '../cluster/runtime/scrapes.ts';
import type { CallSpec } from '../cluster/spec.ts';
import type { DependencyHealth } from './types.ts';

/** Weight of a new normal-looking reading in an edge's learned call time (as the service baseline's). */
const BASELINE_WEIGHT = 0.2;
/** A call time above this many times its baseline is not learned from (it is what the diagnosis looks for). */
const LEARN_BELOW = 1.5;

/**
 * The monitor's view of each caller's dependencies: the sidecar's per-callee readings with the declared
 * fallback, and a learned normal call time per edge (learned only from readings that look normal, and never
 * while the circuit is open), so a slow dependency stands out against its own past.
 */
export class DependencyWatch {
  private readonly baselines = new Map<string, number>();

  /** The readings of one caller, or undefined when it calls nothing. */
  read(
    caller: ServiceId,
    scrapes: readonly DependencyScrape[],
    calls: readonly CallSpec[],
  ): readonly DependencyHealth[] | undefined {
    if (scrapes.length === 0) return undefined;
    return scrapes.map((d) => {
      const key = `${caller}->${d.service}`;
      const learned = this.baselines.get(key);
      const baseline = learned ?? d.latencyMs;
      const normal = !d.circuitOpen && d.rps > 0 && d.latencyMs > 0 && d.latencyMs < LEARN_BELOW * baseline;
      if (learned === undefined && d.rps > 0 && d.latencyMs > 0 && !d.circuitOpen)
        this.baselines.set(key, d.latencyMs);
      else if (normal) this.baselines.set(key, baseline + BASELINE_WEIGHT * (d.latencyMs - baseline));
      return {
        service: d.service as ServiceId,
        rps: d.rps,
        errorRate: d.errorRate,
        timeoutRate: d.timeoutRate,
        latencyMs: d.latencyMs,
        baselineLatencyMs: baseline,
        circuitOpen: d.circuitOpen,
        fallback: calls.find((c) => c.service === d.service)?.fallback ?? false,
      };
    });
  }
}
