import type { ActionKind } from '../cluster/actions.ts';
import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import type { ReplicaPlacement, Sensors } from '../cluster/sensors.ts';
import type { ControllerEffectors } from '../world/controller.ts';

/** What changed in the inventory at a refresh. */
export interface InventoryChange {
  readonly added: readonly ReplicaPlacement[];
  readonly removed: readonly ReplicaId[];
}

const EMPTY: readonly ReplicaPlacement[] = [];

/**
 * The control plane's record of which replica runs where, indexed by node and by service. Only a controller's
 * own actions (move, scale) change placements, so a baseline refreshes it after those instead of reading
 * every placement on every tick. Only the static fields (replica, service, node, role) are meant to be read
 * from it: rotation and start-up change between refreshes, so read them from the sensors when they matter.
 */
export class Inventory {
  private list: readonly ReplicaPlacement[] = EMPTY;
  private readonly byNode = new Map<NodeId, ReplicaPlacement[]>();
  private readonly byService = new Map<ServiceId, ReplicaPlacement[]>();
  private readonly ids = new Set<ReplicaId>();

  constructor(private readonly sensors: Sensors) {
    this.refresh();
  }

  /** Re-reads the placements; returns what was added and removed since the last refresh. */
  refresh(): InventoryChange {
    const next = this.sensors.placements();
    const before = this.ids;
    const added: ReplicaPlacement[] = [];
    const seen = new Set<ReplicaId>();
    this.byNode.clear();
    this.byService.clear();
    for (const p of next) {
      seen.add(p.replica);
      if (!before.has(p.replica)) added.push(p);
      push(this.byNode, p.node, p);
      push(this.byService, p.service, p);
    }
    const removed: ReplicaId[] = [];
    for (const id of before) if (!seen.has(id)) removed.push(id);
    this.ids.clear();
    for (const id of seen) this.ids.add(id);
    this.list = next;
    return { added, removed };
  }

  /** Every replica, in service then creation order. */
  get all(): readonly ReplicaPlacement[] {
    return this.list;
  }

  /** Replicas placed on a node. */
  onNode(node: NodeId): readonly ReplicaPlacement[] {
    return this.byNode.get(node) ?? EMPTY;
  }

  /** Replicas of a service. */
  ofService(service: ServiceId): readonly ReplicaPlacement[] {
    return this.byService.get(service) ?? EMPTY;
  }
}

const push = <K>(map: Map<K, ReplicaPlacement[]>, key: K, p: ReplicaPlacement): void => {
  const list = map.get(key);
  if (list === undefined) map.set(key, [p]);
  else list.push(p);
};

/** Actions that create or delete replicas, after which the inventory must be read again. */
const CHANGES_PLACEMENTS: ReadonlySet<ActionKind> = new Set<ActionKind>([
  'move-replica',
  'scale-out',
  'scale-in',
]);

/**
 * Wraps a controller's effectors so that `onChange` runs whenever one of its own actions may have created or
 * deleted replicas: right after dispatch (moves and scale-outs place at once) and at completion (scale-ins
 * delete then; a failed start removes the new replica), before the caller's own `onDone`.
 */
export const trackPlacements = (
  effectors: ControllerEffectors,
  onChange: () => void,
): ControllerEffectors => ({
  execute: (request, onDone) => {
    const changes = CHANGES_PLACEMENTS.has(request.kind);
    const id = effectors.execute(request, (outcome) => {
      if (changes) onChange();
      onDone?.(outcome);
    });
    if (changes) onChange();
    return id;
  },
});
