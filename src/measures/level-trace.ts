import type { ClusterListener } from '../cluster/cluster.ts';
import type { NodeRuntime, ServiceRuntime } from '../cluster/runtime/records.ts';
import type { Trace } from '../sim/trace.ts';

/** The fields of a `service.level` line, as data: the name in the trace, how to read it, its resolution. */
const FIELDS: readonly (readonly [string, (s: ServiceRuntime) => number, number])[] = [
  ['offered', (s) => s.offeredRps, 10],
  ['served', (s) => s.servedRps, 10],
  ['goodput', (s) => s.goodputRps, 10],
  ['errors', (s) => (s.offeredRps > 0 ? Math.min(1, Math.max(0, 1 - s.goodputRps / s.offeredRps)) : 0), 1e4],
  ['timeouts', (s) => s.timeoutRps, 10],
  ['retries', (s) => s.retryRps, 10],
  ['rejected', (s) => s.rejectedRps, 10],
  ['backlog', (s) => s.backlog, 1],
  ['p50', (s) => s.latencyP50Ms, 10],
  ['p95', (s) => s.latencyP95Ms, 10],
  ['p99', (s) => s.latencyP99Ms, 10],
];

const rounded = (x: number, per: number): number => (Number.isFinite(x) ? Math.round(x * per) / per : 0);

/**
 * Writes one compact `service.level` trace line each time a service's level changes: offered, served (what the
 * replicas completed), goodput (answered in time), the users' error rate, timed-out, retried and rejected
 * attempts per second, backlog and p50/p95/p99 latency, at a resolution a reader can tell apart (0.1 rps, 0.1 ms,
 * whole requests), so a recompute that moves nothing visible writes nothing. `ok` is the ground-truth level.
 */
export class LevelTrace implements ClusterListener {
  private readonly last: Float64Array[] = [];
  private readonly lastOk: boolean[] = [];

  /** Starts with one line per service: its level when the world is built. */
  constructor(
    private readonly trace: Trace,
    services: readonly ServiceRuntime[],
    nowMs: number,
  ) {
    for (const s of services) this.serviceUpdated(s, nowMs);
  }

  serviceUpdated(s: ServiceRuntime, nowMs: number): void {
    let prev = this.last[s.index];
    if (prev === undefined) {
      prev = new Float64Array(FIELDS.length).fill(Number.NaN);
      this.last[s.index] = prev;
    }
    // Compared in place: a recompute that changes nothing visible allocates nothing.
    let changed = this.lastOk[s.index] !== s.levelOk;
    for (let i = 0; i < FIELDS.length; i++) {
      const f = FIELDS[i];
      if (f === undefined) continue;
      const v = rounded(f[1](s), f[2]);
      if (prev[i] !== v) {
        prev[i] = v;
        changed = true;
      }
    }
    this.lastOk[s.index] = s.levelOk;
    if (!changed) return;
    const event: Record<string, unknown> = {
      t: nowMs,
      kind: 'service.level',
      source: s.spec.name,
      ok: s.levelOk,
    };
    for (let i = 0; i < FIELDS.length; i++) event[FIELDS[i]?.[0] ?? ''] = prev[i];
    this.trace.record(event as { t: number; kind: string; source: string });
  }

  nodeStateChanged(_node: NodeRuntime, _nowMs: number): void {}
}
