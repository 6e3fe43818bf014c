import type { NodeRuntime } from './runtime.ts';
import type { ClusterSpec, ServiceSpec } from './spec.ts';

/**
 * Chooses a node for a new replica of `service`, as a scheduler would: an up, uncordoned node with CPU to
 * spare, holding the fewest replicas of this service, then the fewest replicas overall, then the lowest index.
 * Deterministic, so placements replay exactly. Returns undefined when no node fits.
 */
export const chooseNode = (
  nodes: readonly NodeRuntime[],
  spec: ClusterSpec,
  service: ServiceSpec,
  eligible: (node: NodeRuntime) => boolean = () => true,
): NodeRuntime | undefined => {
  let best: NodeRuntime | undefined;
  let bestSame = 0;
  let bestTotal = 0;
  for (const node of nodes) {
    if (node.state !== 'up' || node.cordoned || !eligible(node)) continue;
    let used = 0;
    let same = 0;
    let total = 0;
    for (const r of node.replicas) {
      if (r.state === 'removed') continue;
      used += r.service.spec.cpuPerReplica;
      total++;
      if (r.service.spec.name === service.name) same++;
    }
    if (used + service.cpuPerReplica > spec.nodes.cpuCores + 1e-9) continue;
    if (best === undefined || same < bestSame || (same === bestSame && total < bestTotal)) {
      best = node;
      bestSame = same;
      bestTotal = total;
    }
  }
  return best;
};
