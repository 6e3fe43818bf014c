import type { ReplicaId, ServiceId } from '../../cluster/ids.ts';
import type { ControllerContext, ControllerEffectors } from '../../world/controller.ts';
import type { Inventory } from '../inventory.ts';

/**
 * The ReplicaSet controller of every stateless service: keeps the number of replicas at the desired count (the
 * declared count, or what the autoscaler last set), adding replicas when some were lost (an eviction whose new
 * pod failed to start) and removing the least useful when the count is lowered. A pod being evicted is
 * Terminating and no longer counted, so its replacement is not mistaken for a surplus. Stateful services are
 * StatefulSets: their pods keep their identity, so they are never replaced or scaled here.
 */
export class ReplicaSets {
  private readonly desiredCount = new Map<ServiceId, number>();
  private readonly declaredCount = new Map<ServiceId, number>();
  private readonly busy = new Set<ServiceId>();

  constructor(
    ctx: ControllerContext,
    private readonly inventory: Inventory,
    private readonly effectors: ControllerEffectors,
    /** Pods being evicted: Terminating, so the ReplicaSet no longer counts them (`FilterActivePods`). */
    private readonly terminating: (replica: ReplicaId) => boolean = () => false,
  ) {
    for (const service of ctx.sensors.serviceIds()) {
      const pods = inventory.ofService(service);
      if (pods.length === 0 || pods.some((p) => p.role !== 'none')) continue;
      this.desiredCount.set(service, pods.length);
      this.declaredCount.set(service, pods.length);
    }
  }

  /** The stateless services, which this controller owns. */
  services(): IterableIterator<ServiceId> {
    return this.desiredCount.keys();
  }

  /** The replica count the service was declared with (the autoscaler's minimum). */
  declared(service: ServiceId): number {
    return this.declaredCount.get(service) ?? 0;
  }

  /** The replica count the service should have now. */
  desired(service: ServiceId): number {
    return this.desiredCount.get(service) ?? 0;
  }

  /** Sets the desired count (the autoscaler's decision) and reconciles towards it. */
  setDesired(service: ServiceId, count: number): void {
    if (!this.desiredCount.has(service)) return;
    this.desiredCount.set(service, count);
    this.reconcile(service);
  }

  /** Adds or removes replicas until the service has its desired count; one action per service at a time. */
  reconcile(service: ServiceId): void {
    const desired = this.desiredCount.get(service);
    if (desired === undefined || this.busy.has(service)) return;
    let active = 0;
    for (const p of this.inventory.ofService(service)) if (!this.terminating(p.replica)) active++;
    const diff = desired - active;
    if (diff === 0) return;
    this.busy.add(service);
    const request =
      diff > 0
        ? ({ kind: 'scale-out', service, count: diff } as const)
        : ({ kind: 'scale-in', service, count: -diff } as const);
    this.effectors.execute(request, () => {
      this.busy.delete(service);
      // A retry on the next sync, not at once: a scheduler with no room keeps its pods pending.
    });
  }

  /** Reconciles every service (called on the controller manager's periodic sync). */
  reconcileAll(): void {
    for (const service of this.desiredCount.keys()) this.reconcile(service);
  }
}
