import { nextHitMs, type UpcomingFault } from '../../chaos/upcoming.ts';
import type { NodeId, ReplicaId, ServiceId } from '../../cluster/ids.ts';
import type { ControllerContext, ControllerEffectors } from '../../world/controller.ts';
import type { Inventory } from '../inventory.ts';
import type { Fence } from './fence.ts';

/** How often a returning primary's candidate is looked at while it starts, joins and catches up. */
const POLL_MS = 1_000;
/** Longest the oracle waits for it: a start with a snapshot copy (18 s), the checks, a scrape, with room. */
const WAIT_MS = 60_000;

/**
 * Where each stateful service's primary was before the oracle first moved it away, so that it can go back. A
 * primary promoted away from a faulty node and left where it landed changes the layout the next fault meets:
 * a later crash of the new primary's node is a failover (a lease to wait out) under the oracle and a lost
 * replica under a policy that never moved it (property seed 1: 10 s against noop's 3.8 s). Once the home node
 * reopens, the oracle puts a replica there (make-before-break) and hands it the role back, but only when that
 * costs nothing: a replica in sync with no replication lag (sync and quorum replication), so the promotion is
 * no switchover pausing writes. And only when no fault of the timeline still to come hits the home node before
 * the node holding the role now: the oracle knows the schedule, and a role handed back to a node about to be cut
 * off is a failover the role left where it was never needs (property seed 12: 10 s against the loop's 0).
 */
export class PrimaryHomes {
  private readonly homes = new Map<ServiceId, NodeId>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly inventory: Inventory,
    private readonly effectors: ControllerEffectors,
    private readonly fence: Fence,
    private readonly upcoming: () => readonly UpcomingFault[] = () => [],
  ) {}

  /** The primary of `service` is about to leave `node`: its home, unless an earlier move recorded one. */
  leaving(service: ServiceId, node: NodeId): void {
    if (!this.homes.has(service)) this.homes.set(service, node);
  }

  /** `node` has reopened (no fault holds it, it is up and uncordoned): services at home there go back. */
  reopened(node: NodeId): void {
    for (const [service, home] of this.homes) {
      if (home === node) this.returnHome(service, node, this.ctx.kernel.nowMs + WAIT_MS);
    }
  }

  /** Finds or makes a replica of `service` on its home node and hands it the primary role once it can take it. */
  private returnHome(service: ServiceId, home: NodeId, untilMs: number): void {
    if (this.homes.get(service) !== home || this.fence.faulty().has(home) || this.ctx.kernel.nowMs > untilMs)
      return;
    const primary = this.ctx.sensors.primaryOf(service);
    if (this.hitFirst(home, primary)) {
      this.homes.delete(service);
      return;
    }
    const here = this.inventory.ofService(service).filter((p) => p.node === home);
    if (here.some((p) => p.replica === primary)) {
      this.homes.delete(service);
      return;
    }
    const candidate = here.find((p) => p.replica !== primary);
    if (candidate !== undefined) {
      this.handBack(service, home, candidate.replica, untilMs);
      return;
    }
    const away = this.inventory.ofService(service).find((p) => p.replica !== primary && p.node !== home);
    if (away === undefined) return;
    const before = new Set(this.inventory.all.map((p) => p.replica));
    this.effectors.execute(
      { kind: 'move-replica', replica: away.replica, toNode: home, surge: true },
      (o) => {
        if (!o.ok) return;
        const fresh = this.inventory
          .ofService(service)
          .find((p) => p.node === home && !before.has(p.replica));
        if (fresh !== undefined) this.handBack(service, home, fresh.replica, untilMs);
      },
    );
  }

  /** Whether a fault still to come hits `home` before the node that holds `primary` now. */
  private hitFirst(home: NodeId, primary: ReplicaId | undefined): boolean {
    const at = this.inventory.all.find((p) => p.replica === primary)?.node;
    if (at === undefined) return false;
    const upcoming = this.upcoming();
    return nextHitMs(upcoming, home) < nextHitMs(upcoming, at);
  }

  /**
   * Promotes `replica` once it runs in rotation with no replication lag; gives up if its node is faulty again.
   * A replica that goes meanwhile (the deposed primary the evacuation was moving off) hands over to another.
   */
  private handBack(service: ServiceId, home: NodeId, replica: ReplicaId, untilMs: number): void {
    const { sensors, kernel } = this.ctx;
    if (this.homes.get(service) !== home || this.fence.faulty().has(home) || kernel.nowMs > untilMs) return;
    const placed = sensors.placements().find((p) => p.replica === replica);
    if (placed === undefined) {
      this.returnHome(service, home, untilMs);
      return;
    }
    const scrape = sensors.replica(replica);
    const ready =
      placed.inRotation && !placed.starting && scrape !== undefined && scrape.replicationLag === 0;
    if (!ready) {
      kernel.after(POLL_MS, () => this.handBack(service, home, replica, untilMs));
      return;
    }
    this.effectors.execute({ kind: 'promote-replica', service, replica }, (o) => {
      if (o.ok) this.homes.delete(service);
    });
  }
}
