import type { ClusterListener } from '../cluster/cluster.ts';
import type { NodeRuntime, ServiceRuntime } from '../cluster/runtime/records.ts';
import type { SeriesMetric, ServiceSeries } from './series.ts';

const attempts = (s: ServiceRuntime): number => s.offeredRps + s.retryRps;

/**
 * The columns the queueing model gives, read off a service as it changes. The error rate is the users' (not
 * answered in time over offered); timeout and retry rates are shares of the attempts.
 */
const READ: readonly (readonly [SeriesMetric, (s: ServiceRuntime) => number])[] = [
  ['offeredRps', (s) => s.offeredRps],
  ['servedRps', (s) => s.servedRps],
  ['errorRate', (s) => (s.offeredRps > 0 ? Math.min(1, Math.max(0, 1 - s.goodputRps / s.offeredRps)) : 0)],
  ['latencyMeanMs', (s) => s.latencyMs],
  ['latencyP50Ms', (s) => s.latencyP50Ms],
  ['latencyP99Ms', (s) => s.latencyP99Ms],
  ['goodputRps', (s) => s.goodputRps],
  ['backlog', (s) => s.backlog],
  ['timeoutRate', (s) => (attempts(s) > 0 ? s.timeoutRps / attempts(s) : 0)],
  ['retryRate', (s) => (attempts(s) > 0 ? s.retryRps / attempts(s) : 0)],
];

/** Rounds to what a chart or a reader can tell apart, so the journal stays small and stable. */
const round = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : 0);

interface Building {
  readonly service: string;
  readonly t: number[];
  readonly cols: number[][];
}

/**
 * Records each service's level as the cluster changes it (a `ClusterListener`, attached only when a report
 * asks for the timeline, so a plain run pays nothing). A row is kept only when a value changed; several
 * changes in one instant keep the last.
 */
export class SeriesRecorder implements ClusterListener {
  private readonly byIndex: Building[] = [];

  constructor(services: readonly ServiceRuntime[]) {
    for (const s of services) {
      const b: Building = { service: s.spec.name, t: [], cols: READ.map(() => []) };
      this.byIndex[s.index] = b;
      this.push(b, s, 0);
    }
  }

  serviceUpdated(service: ServiceRuntime, nowMs: number): void {
    const b = this.byIndex[service.index];
    if (b !== undefined) this.push(b, service, nowMs);
  }

  nodeStateChanged(_node: NodeRuntime, _nowMs: number): void {}

  /** The series recorded so far, one per service in the cluster's order. */
  series(): ServiceSeries[] {
    return this.byIndex.map((b) => ({
      service: b.service,
      t: b.t,
      columns: Object.fromEntries(READ.map(([metric], i) => [metric, b.cols[i] ?? []])),
    }));
  }

  private push(b: Building, s: ServiceRuntime, nowMs: number): void {
    const values = READ.map(([, read]) => round(read(s)));
    const last = b.t.length - 1;
    if (last >= 0 && values.every((v, i) => b.cols[i]?.[last] === v)) return;
    if (last >= 0 && b.t[last] === nowMs) {
      for (const [i, v] of values.entries()) {
        const col = b.cols[i];
        if (col !== undefined) col[last] = v;
      }
      // Back to the row before: the instant changed nothing that lasts.
      const prev = last - 1;
      if (prev >= 0 && values.every((v, i) => b.cols[i]?.[prev] === v)) {
        b.t.pop();
        for (const col of b.cols) col.pop();
      }
      return;
    }
    b.t.push(nowMs);
    for (const [i, v] of values.entries()) b.cols[i]?.push(v);
  }
}
