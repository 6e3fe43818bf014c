import type { Cluster, ClusterListener } from '../cluster/cluster.ts';
import type { NodeRuntime, ServiceRuntime } from '../cluster/runtime.ts';
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
  /** 1 - served / offered over the window, in [0, 1]. */
  readonly degradation: number;
}

/**
 * Records the ground-truth service level as the cluster changes: when every service is at its healthy
 * level (the timeline recovery is measured on), and degradation over consecutive windows, as an SLO
 * dashboard computes it. Reads the cluster's exact integrals, so nothing is sampled.
 */
export class ServiceLevelRecorder implements ClusterListener {
  /** Level changes in time order; the level starts ok at time 0. */
  readonly changes: LevelChange[] = [];
  private readonly notOk = new Set<ServiceRuntime>();
  private readonly windowBase: { offered: number; served: number }[];
  private peak: DegradationPeak = { service: '', windowStartMs: 0, degradation: 0 };
  private windowStartMs = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly kernel: SimKernel,
    private readonly windowMs: number,
  ) {
    this.windowBase = cluster.services.map(() => ({ offered: 0, served: 0 }));
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

  /** Requests served over requests offered, across all services, since time 0. */
  availability(): number {
    let offered = 0;
    let served = 0;
    for (const s of this.cluster.services) {
      this.cluster.fold(s);
      offered += s.offeredTotal;
      served += s.servedTotal;
    }
    return offered > 0 ? served / offered : 1;
  }

  private closeWindow(): void {
    const worst = this.windowDegradations();
    if (worst.degradation > this.peak.degradation) this.peak = worst;
    for (const s of this.cluster.services) {
      const base = this.windowBase[s.index];
      if (base === undefined) continue;
      base.offered = s.offeredTotal;
      base.served = s.servedTotal;
    }
    this.windowStartMs = this.kernel.nowMs;
  }

  private windowDegradations(): DegradationPeak {
    let worst: DegradationPeak = { service: '', windowStartMs: this.windowStartMs, degradation: 0 };
    for (const s of this.cluster.services) {
      this.cluster.fold(s);
      const base = this.windowBase[s.index];
      if (base === undefined) continue;
      const offered = s.offeredTotal - base.offered;
      if (offered <= 1e-9) continue;
      const d = Math.max(0, 1 - (s.servedTotal - base.served) / offered);
      if (d > worst.degradation)
        worst = { service: s.spec.name, windowStartMs: this.windowStartMs, degradation: d };
    }
    return worst;
  }
}
