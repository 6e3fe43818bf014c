import type { ServiceId } from '../../cluster/ids.ts';
import type { ControllerContext } from '../../world/controller.ts';
import type { HpaSettings } from './defaults.ts';
import { recommendReplicas } from './replica-calculator.ts';
import type { ReplicaSets } from './replica-sets.ts';

/** A service's pods tallied during one sync, with the time of the scrape that is fresh. */
interface Tally {
  readySum: number;
  readyCount: number;
  missing: number;
  unready: number;
  readonly scrapedAtMs: number;
}

interface Recommendation {
  readonly atMs: number;
  readonly replicas: number;
}

/**
 * The horizontal pod autoscaler of every stateless service, on CPU utilisation: each sync reads the pods'
 * scraped CPU, asks the replica calculator, clamps to [declared, declared x maxReplicasFactor], stabilizes a
 * scale-down on the highest recommendation of the window (a scale-up is not stabilized), limits a scale-up to
 * doubling or `scaleUpPods` more, and hands the count to the ReplicaSets.
 */
export class HorizontalPodAutoscaler {
  private readonly history = new Map<ServiceId, Recommendation[]>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly replicaSets: ReplicaSets,
    private readonly settings: HpaSettings,
  ) {}

  /** One sync of every autoscaler. */
  sync(): void {
    const { sensors, kernel } = this.ctx;
    const now = kernel.nowMs;
    const s = this.settings;
    const metrics = new Map<ServiceId, Tally>();
    for (const service of this.replicaSets.services()) {
      // Every reachable pod is scraped with its service: an older pod scrape is one its node missed.
      const scrapedAtMs = sensors.service(service)?.atMs ?? Number.POSITIVE_INFINITY;
      metrics.set(service, { readySum: 0, readyCount: 0, missing: 0, unready: 0, scrapedAtMs });
    }
    for (const p of sensors.placements()) {
      const m = metrics.get(p.service);
      if (m === undefined) continue;
      if (!p.inRotation || p.starting) {
        m.unready++;
        continue;
      }
      // metrics-server has nothing for a pod whose node it could not scrape last time.
      const scrape = sensors.replica(p.replica);
      if (scrape === undefined || scrape.atMs < m.scrapedAtMs) m.missing++;
      else {
        m.readySum += scrape.cpu;
        m.readyCount++;
      }
    }
    for (const service of this.replicaSets.services()) {
      const current = this.replicaSets.desired(service);
      const min = this.replicaSets.declared(service);
      const max = Math.max(min, Math.floor(min * s.maxReplicasFactor));
      const m = metrics.get(service);
      if (m === undefined) continue;
      const raw = recommendReplicas(m, current, s.targetUtilisation, s.tolerance);
      const wanted = Math.min(max, Math.max(min, raw));
      const next = this.stabilize(service, wanted, current, now);
      if (next !== current) {
        this.ctx.trace({
          t: now,
          kind: 'hpa.scaled',
          source: 'kubernetes',
          service,
          from: current,
          to: next,
        });
        this.replicaSets.setDesired(service, next);
      }
    }
    this.replicaSets.reconcileAll();
  }

  /** Applies the downscale stabilization window and the default scale-up limit. */
  private stabilize(service: ServiceId, wanted: number, current: number, now: number): number {
    const s = this.settings;
    const kept = (this.history.get(service) ?? []).filter((r) => r.atMs > now - s.downscaleStabilizationMs);
    kept.push({ atMs: now, replicas: wanted });
    this.history.set(service, kept);
    if (wanted > current) return Math.min(wanted, Math.max(2 * current, current + s.scaleUpPods));
    let highest = wanted;
    for (const r of kept) highest = Math.max(highest, r.replicas);
    return Math.min(current, highest);
  }
}
