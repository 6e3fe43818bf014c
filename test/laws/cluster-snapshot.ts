import type { World } from '../../src/world/world.ts';

/**
 * The ground truth the law suites compare before and after: what a fault or an action may change and must
 * give back. Read in this one place, so a change of the cluster's internals is one edit here, not one per
 * law. Time-driven state (counters, log positions, load balancer timers) is left out: it moves on whatever
 * happens.
 */

/** One node as the laws compare it: lifecycle, placement flags, effects, limits, reach and replicas. */
export const nodeSnapshot = (world: World, id: string) => {
  const n = world.cluster.node(id);
  if (n === undefined) throw new Error(`no node ${id}`);
  return {
    id: n.id,
    state: n.state,
    cordoned: n.cordoned,
    drained: n.drained,
    effects: [...n.effects.keys()].sort(),
    limits: { ...n.limits },
    controlLinked: world.cluster.network.controlLinked(n.index),
    replicas: n.replicas.map((r) => ({
      id: r.id,
      state: r.state,
      role: r.role,
      evicted: r.evicted,
      // What runs inside it: a process fault changes these and nothing of the node.
      version: r.version,
      hung: r.hung,
      processLatencyFactor: r.processLatencyFactor,
      processErrorRate: r.processErrorRate,
      leaking: r.memoryGrowthMbPerMs > 0,
    })),
  };
};

/** Every node and service as the laws compare them. */
export const clusterSnapshot = (world: World) => ({
  nodes: world.cluster.nodes.map((n) => nodeSnapshot(world, n.id)),
  services: world.cluster.services.map((s) => ({
    name: s.spec.name,
    shedFraction: s.shedFraction,
    offeredRps: s.offeredRps,
    primary: s.primary?.id ?? null,
    replicas: s.replicas.map((r) => ({
      id: r.id,
      node: r.node.id,
      state: r.state,
      role: r.role,
      evicted: r.evicted,
      fenced: r.fenced,
      writesPaused: r.writesPaused,
    })),
  })),
});
