import type { ActionOutcome, ActionRequest } from '../../cluster/actions.ts';
import type { NodeId, ServiceId } from '../../cluster/ids.ts';
import type { ReplicaPlacement } from '../../cluster/sensors.ts';
import type { ControllerContext } from '../../world/controller.ts';
import type { Inventory } from '../inventory.ts';
import type { Fence } from './fence.ts';
import type { PrimaryHomes } from './primary-homes.ts';
import type { RetryingEffectors } from './retry-transient.ts';

/** What the oracle's plans work with: the context, the inventory and effectors that keep it current. */
export interface OracleOps {
  readonly ctx: ControllerContext;
  readonly inventory: Inventory;
  readonly effectors: RetryingEffectors;
  /** Keeps work off the nodes ground truth knows to be faulty. */
  readonly fence: Fence;
  /** Nodes the oracle is rebooting: down because of its own action, not of a fault. */
  readonly rebooting: Set<NodeId>;
  /** Where the primaries it moved away came from, to hand the role back when that node reopens. */
  readonly homes: PrimaryHomes;
}

/** How often the oracle looks at the rotation while it waits for new replicas. */
const POLL_MS = 1_000;

/** Starts every request at once; `then` gets all outcomes when the last completes (at once if none). */
export const inParallel = (
  ops: OracleOps,
  requests: readonly ActionRequest[],
  then: (outcomes: readonly ActionOutcome[]) => void,
): void => {
  if (requests.length === 0) {
    then([]);
    return;
  }
  const outcomes: ActionOutcome[] = [];
  for (const r of requests) {
    ops.effectors.execute(r, (o) => {
      outcomes.push(o);
      if (outcomes.length === requests.length) then(outcomes);
    });
  }
};

/** Polls the load balancer's rotation every second until every replica in `ids` is in it (or `limitMs` passes). */
export const whenInRotation = (
  ops: OracleOps,
  ids: ReadonlySet<string>,
  limitMs: number,
  then: () => void,
): void => {
  const { kernel, sensors } = ops.ctx;
  const giveUpAt = kernel.nowMs + limitMs;
  const poll = () => {
    const waiting = sensors.placements().some((p) => ids.has(p.replica) && !p.inRotation);
    if (!waiting || kernel.nowMs >= giveUpAt) then();
    else kernel.after(POLL_MS, poll);
  };
  poll();
};

/** A service's replicas in the load balancer's rotation, and the capacity one of them is declared to serve. */
export const rotationOf = (
  ops: OracleOps,
  service: ServiceId,
): { readonly replicas: readonly ReplicaPlacement[]; readonly perReplicaRps: number } => {
  const { sensors } = ops.ctx;
  const replicas = sensors.placements().filter((p) => p.service === service && p.inRotation);
  const perReplicaRps = replicas.length > 0 ? sensors.declaredCapacityRps(service) / replicas.length : 0;
  return { replicas, perReplicaRps };
};
