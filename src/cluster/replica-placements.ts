import type { NodeId, ReplicaId, ServiceId } from './ids.ts';
import { routable } from './reach.ts';
import type { Replica, ServiceRuntime } from './runtime/records.ts';
import type { ReplicaRole } from './runtime/states.ts';

/** Where the control plane placed each replica: declared state, which the operator always knows. */
export interface ReplicaPlacement {
  readonly replica: ReplicaId;
  readonly service: ServiceId;
  readonly node: NodeId;
  /** The role the control plane last assigned (a deposed primary does not know yet). */
  readonly role: ReplicaRole;
  /** Whether the load balancer currently routes to it (the load balancer's own API reports this). */
  readonly inRotation: boolean;
  readonly starting: boolean;
}

/** The role the control plane last assigned a replica: a deposed primary that does not know yet is a replica. */
const assignedRole = (s: ServiceRuntime, r: Replica): ReplicaRole =>
  r.role === 'primary' && s.primary !== r ? 'replica' : r.role;

/** Every replica of `services`, in service then creation order, as the control plane's inventory lists it. */
export const readPlacements = (services: readonly ServiceRuntime[]): ReplicaPlacement[] => {
  const out: ReplicaPlacement[] = [];
  for (const s of services) {
    for (const r of s.replicas) {
      out.push({
        replica: r.id,
        service: s.spec.name,
        node: r.node.id,
        role: assignedRole(s, r),
        inRotation: routable(r),
        starting: r.state === 'starting',
      });
    }
  }
  return out;
};

/**
 * Whether {@link readPlacements} would return a list equal to `list` now: the same replicas in the same order,
 * each on the same node with the same role, rotation and start-up. O(replicas), allocating nothing.
 */
export const placementsMatch = (
  services: readonly ServiceRuntime[],
  list: readonly ReplicaPlacement[],
): boolean => {
  let k = 0;
  for (const s of services) {
    for (const r of s.replicas) {
      const p = list[k++];
      if (
        p === undefined ||
        p.replica !== r.id ||
        p.service !== s.spec.name ||
        p.node !== r.node.id ||
        p.role !== assignedRole(s, r) ||
        p.inRotation !== routable(r) ||
        p.starting !== (r.state === 'starting')
      )
        return false;
    }
  }
  return k === list.length;
};
