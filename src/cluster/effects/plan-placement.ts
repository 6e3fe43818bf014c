import { chooseNode } from '../placement.ts';
import type { NodeRuntime, ServiceRuntime } from '../runtime/records.ts';
import type { ClusterView } from './cluster-view.ts';

/**
 * Nodes for up to `count` new replicas of a service, chosen one after another as the scheduler would place
 * them (each choice counting the ones before it): up, reachable, uncordoned, undrained, with CPU to spare,
 * never `exclude`, only `preferred` when given. Fewer than `count` when the cluster runs out of room.
 */
export const planPlacements = (
  view: ClusterView,
  s: ServiceRuntime,
  count: number,
  exclude?: NodeRuntime,
  preferred?: NodeRuntime,
): NodeRuntime[] => {
  const eligible = (n: NodeRuntime) => n !== exclude && !n.drained && view.network.controlLinked(n.index);
  const pool = preferred === undefined ? view.nodes : eligible(preferred) ? [preferred] : [];
  const planned = new Map<NodeRuntime, number>();
  const out: NodeRuntime[] = [];
  while (out.length < count) {
    const node = chooseNode(pool, view.spec, s.spec, eligible, planned);
    if (node === undefined) break;
    out.push(node);
    planned.set(node, (planned.get(node) ?? 0) + 1);
  }
  return out;
};
