import type { NodeId, ReplicaId } from '../../cluster/ids.ts';
import type { OracleOps } from './oracle-ops.ts';

/** How often a node not yet open again (rebooting, still cordoned by its plan) is looked at. */
const POLL_MS = 1_000;
/** Longest the oracle waits for a reopened node to be up and open: a reboot (45 s) and its uncordon, with room. */
const SETTLE_LIMIT_MS = 120_000;

/**
 * Once a node is reopened (no fault holds it any more), puts back the spread its evacuation undid: for each
 * service, while some open node holds at least two replicas more than the reopened one, one of them (never a
 * primary) moves there, make-before-break (`surge`: the old one serves until the new one is admitted), so the
 * move never costs capacity. Without it the evacuated replicas stay doubled up on the survivors, and the next
 * fault on one of those nodes takes two replicas of a service where it would have taken one.
 */
export const rebalanceOnto = (
  ops: OracleOps,
  reopened: NodeId,
  untilMs: number = ops.ctx.kernel.nowMs + SETTLE_LIMIT_MS,
): void => {
  const { sensors, kernel } = ops.ctx;
  const faulty = ops.fence.faulty();
  const open = sensors.nodeIds().filter((n) => {
    const flags = sensors.nodeFlags(n);
    return !faulty.has(n) && sensors.ping(n) && flags?.cordoned === false && !flags.drained;
  });
  if (!open.includes(reopened)) {
    // Still rebooting, or still closed by the plan that evacuated it: look again until it is open.
    if (!faulty.has(reopened) && kernel.nowMs < untilMs)
      kernel.after(POLL_MS, () => rebalanceOnto(ops, reopened, untilMs));
    return;
  }
  for (const service of sensors.serviceIds()) {
    const primary = sensors.primaryOf(service);
    const movable = new Map<NodeId, ReplicaId[]>(open.map((n) => [n, []]));
    for (const p of ops.inventory.ofService(service)) {
      movable.get(p.node)?.push(p.replica);
    }
    let target = movable.get(reopened)?.length ?? 0;
    for (;;) {
      const from = fullest(movable, reopened);
      const replicas = from === undefined ? [] : (movable.get(from) ?? []);
      if (from === undefined || replicas.length < target + 2) break;
      const pick = replicas.find((r) => r !== primary);
      if (pick === undefined) break;
      replicas.splice(replicas.indexOf(pick), 1);
      target++;
      ops.effectors.execute({ kind: 'move-replica', replica: pick, toNode: reopened, surge: true });
    }
  }
  ops.homes.reopened(reopened);
};

/** The open node, other than `except`, holding the most replicas of the service (the first such in order). */
const fullest = (movable: ReadonlyMap<NodeId, readonly ReplicaId[]>, except: NodeId): NodeId | undefined => {
  let best: NodeId | undefined;
  let most = -1;
  for (const [node, replicas] of movable) {
    if (node !== except && replicas.length > most) {
      best = node;
      most = replicas.length;
    }
  }
  return best;
};
