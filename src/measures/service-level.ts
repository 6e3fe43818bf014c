import type { Cluster, ClusterListener } from '../cluster/cluster.ts';
import type { NodeRuntime, ServiceRuntime } from '../cluster/runtime/records.ts';
import type { SimKernel } from '../sim/kernel.ts';

/** A change of the cluster-wide ground-truth level: every service at its healthy level, or not. */
export interface LevelChange {
  readonly atMs: number;
  readonly ok: boolean;
}

/** Worst degradation seen over one measurement window. */
export interface DegradationPeak {
  readonly service: string;
  readonly windowStartMs: number;
  /** 1 - answered in time / offered over the window, in [0, 1]. */
  readonly degradation: number;
}

/** Worst latency percentile over one measurement window: the served-weighted mean of the service's percentile. */
export interface LatencyPeak {
  readonly service: string;
  readonly windowStartMs: number;
  readonly latencyMs: number;
}

/** What the window accumulates per service: its counters at the window's start, and the latency integrals. */
interface WindowBase {
  offered: number;
  goodput: number;
  /** Integrals over the window of served x p50 and served x p99 (ms x requests), and of served. */
  p50Weighted: number;
  p99Weighted: number;
  servedWeight: number;
  /** The same integrals over the whole run, never reset. */
  runP50Weighted: number;
  runP99Weighted: number;
  runWeight: number;
  /** When the latency integrals were last brought up to date, and the rates in force since. */
  atMs: number;
  servedRps: number;
  p50Ms: number;
  p99Ms: number;
}

const NO_PEAK: LatencyPeak = { service: '', windowStartMs: 0, latencyMs: 0 };

/**
 * Records the ground-truth service level as the cluster changes: when every service is at its healthy
 * level (the timeline recovery is measured on), degradation (users' requests not answered in time) and the
 * latency percentiles over consecutive windows, as an SLO dashboard computes them. Reads the cluster's exact
 * integrals, so nothing is sampled.
 */
export class ServiceLevelRecorder implements ClusterListener {
  /** Level changes in time order; the level starts ok at time 0. */
  readonly changes: LevelChange[] = [];
  private readonly notOk = new Set<ServiceRuntime>();
  private readonly windowBase: WindowBase[];
  private peak: DegradationPeak = { service: '', windowStartMs: 0, degradation: 0 };
  private p50Peak: LatencyPeak = NO_PEAK;
  private p99Peak: LatencyPeak = NO_PEAK;
  private windowStartMs = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly kernel: SimKernel,
    private readonly windowMs: number,
  ) {
    this.windowBase = cluster.services.map((s) => ({
      offered: 0,
      goodput: 0,
      p50Weighted: 0,
      p99Weighted: 0,
      servedWeight: 0,
      runP50Weighted: 0,
      runP99Weighted: 0,
      runWeight: 0,
      atMs: 0,
      servedRps: s.servedRps,
      p50Ms: s.latencyP50Ms,
      p99Ms: s.latencyP99Ms,
    }));
    for (const s of cluster.services) if (!s.levelOk) this.notOk.add(s);
    if (this.notOk.size > 0) this.changes.push({ atMs: 0, ok: false });
    cluster.listen(this);
  }

  /** Starts the degradation windows. */
  start(): void {
    const tick = () => {
      this.closeWindow();
      this.kernel.after(this.windowMs, tick);
    };
    this.kernel.after(this.windowMs, tick);
  }

  serviceUpdated(service: ServiceRuntime, nowMs: number): void {
    const base = this.windowBase[service.index];
    if (base !== undefined) {
      accrueLatency(base, nowMs);
      base.servedRps = service.servedRps;
      base.p50Ms = service.latencyP50Ms;
      base.p99Ms = service.latencyP99Ms;
    }
    const wasOk = this.notOk.size === 0;
    if (service.levelOk) this.notOk.delete(service);
    else this.notOk.add(service);
    const isOk = this.notOk.size === 0;
    if (isOk !== wasOk) {
      const last = this.changes[this.changes.length - 1];
      // Several changes in one instant collapse into the last one: only the resulting level lasts.
      if (last !== undefined && last.atMs === nowMs) this.changes.pop();
      const prev = this.changes[this.changes.length - 1];
      if (prev === undefined ? !isOk : prev.ok !== isOk) this.changes.push({ atMs: nowMs, ok: isOk });
    }
  }

  nodeStateChanged(_node: NodeRuntime, _nowMs: number): void {}

  /** Whether every service is at its healthy level now. */
  get levelOk(): boolean {
    return this.notOk.size === 0;
  }

  /** The worst window so far, including the window still open. */
  maxDegradation(): DegradationPeak {
    const open = this.windowDegradations();
    return open.degradation > this.peak.degradation ? open : this.peak;
  }

  /**
   * The latency a latency SLO judges: each service's instantaneous p50 and p99 averaged over the run, weighted
   * by what it served (a mean of percentiles, not the percentile of the run's requests: see docs/scenarios.md),
   * for the worst service. `windowStartMs` is 0: the whole run.
   */
  runLatencies(): { readonly p50: LatencyPeak; readonly p99: LatencyPeak } {
    let p50: LatencyPeak = NO_PEAK;
    let p99: LatencyPeak = NO_PEAK;
    const now = this.kernel.nowMs;
    for (const s of this.cluster.services) {
      const base = this.windowBase[s.index];
      if (base === undefined) continue;
      accrueLatency(base, now);
      if (base.runWeight <= 1e-9) continue;
      const m50 = base.runP50Weighted / base.runWeight;
      const m99 = base.runP99Weighted / base.runWeight;
      if (m50 > p50.latencyMs) p50 = { service: s.spec.name, windowStartMs: 0, latencyMs: m50 };
      if (m99 > p99.latencyMs) p99 = { service: s.spec.name, windowStartMs: 0, latencyMs: m99 };
    }
    return { p50, p99 };
  }

  /** The worst window's served-weighted p50 and p99 so far, including the window still open. */
  latencyPeaks(): { readonly p50: LatencyPeak; readonly p99: LatencyPeak } {
    const open = this.windowLatencies();
    return {
      p50: open.p50.latencyMs > this.p50Peak.latencyMs ? open.p50 : this.p50Peak,
      p99: open.p99.latencyMs > this.p99Peak.latencyMs ? open.p99 : this.p99Peak,
    };
  }

  /**
   * Attempts the replicas completed over attempts made (users' requests, shed ones included, plus retries),
   * across all services since time 0: availability as the servers' logs count it, a late answer included.
   * Without retries and timeouts it is answered over offered.
   */
  availability(): number {
    let attempts = 0;
    let served = 0;
    for (const s of this.cluster.services) {
      this.cluster.fold(s);
      attempts += s.offeredTotal + s.retryTotal;
      served += s.servedTotal;
    }
    return attempts > 0 ? Math.min(1, served / attempts) : 1;
  }

  /** Users' requests answered within their client's timeout over users' requests offered, since time 0. */
  goodput(): number {
    let offered = 0;
    let goodput = 0;
    for (const s of this.cluster.services) {
      this.cluster.fold(s);
      offered += s.offeredTotal;
      goodput += s.goodputTotal;
    }
    return offered > 0 ? Math.min(1, goodput / offered) : 1;
  }

  private closeWindow(): void {
    const worst = this.windowDegradations();
    if (worst.degradation > this.peak.degradation) this.peak = worst;
    const latencies = this.windowLatencies();
    if (latencies.p50.latencyMs > this.p50Peak.latencyMs) this.p50Peak = latencies.p50;
    if (latencies.p99.latencyMs > this.p99Peak.latencyMs) this.p99Peak = latencies.p99;
    const now = this.kernel.nowMs;
    for (const s of this.cluster.services) {
      const base = this.windowBase[s.index];
      if (base === undefined) continue;
      base.offered = s.offeredTotal;
      base.goodput = s.goodputTotal;
      base.p50Weighted = 0;
      base.p99Weighted = 0;
      base.servedWeight = 0;
      base.atMs = now;
    }
    this.windowStartMs = now;
  }

  private windowLatencies(): { p50: LatencyPeak; p99: LatencyPeak } {
    let p50: LatencyPeak = { ...NO_PEAK, windowStartMs: this.windowStartMs };
    let p99: LatencyPeak = p50;
    const now = this.kernel.nowMs;
    for (const s of this.cluster.services) {
      const base = this.windowBase[s.index];
      if (base === undefined) continue;
      accrueLatency(base, now);
      if (base.servedWeight <= 1e-9) continue;
      const m50 = base.p50Weighted / base.servedWeight;
      const m99 = base.p99Weighted / base.servedWeight;
      if (m50 > p50.latencyMs)
        p50 = { service: s.spec.name, windowStartMs: this.windowStartMs, latencyMs: m50 };
      if (m99 > p99.latencyMs)
        p99 = { service: s.spec.name, windowStartMs: this.windowStartMs, latencyMs: m99 };
    }
    return { p50, p99 };
  }

  private windowDegradations(): DegradationPeak {
    let worst: DegradationPeak = { service: '', windowStartMs: this.windowStartMs, degradation: 0 };
    for (const s of this.cluster.services) {
      this.cluster.fold(s);
      const base = this.windowBase[s.index];
      if (base === undefined) continue;
      const offered = s.offeredTotal - base.offered;
      if (offered <= 1e-9) continue;
      const d = Math.max(0, 1 - (s.goodputTotal - base.goodput) / offered);
      if (d > worst.degradation)
        worst = { service: s.spec.name, windowStartMs: this.windowStartMs, degradation: d };
    }
    return worst;
  }
}

const accrueLatency = (base: WindowBase, nowMs: number): void => {
  const dt = (nowMs - base.atMs) / 1000;
  if (dt <= 0) return;
  const w = base.servedRps * dt;
  base.servedWeight += w;
  base.p50Weighted += w * base.p50Ms;
  base.p99Weighted += w * base.p99Ms;
  base.runWeight += w;
  base.runP50Weighted += w * base.p50Ms;
  base.runP99Weighted += w * base.p99Ms;
  base.atMs = nowMs;
};
