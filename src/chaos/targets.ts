import { err, ok, type Result } from '../base/result.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { NodeRuntime, Replica } from '../cluster/runtime/records.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { BlastRadius, TargetSpec } from './spec.ts';

/** How many of `pool` nodes a blast radius hits (at least one when the pool is not empty). */
export const radiusCount = (radius: BlastRadius, pool: number): number => {
  const n =
    radius.kind === 'one'
      ? 1
      : radius.kind === 'count'
        ? radius.count
        : Math.round((radius.percent / 100) * pool);
  return Math.min(pool, Math.max(1, n));
};

/**
 * Resolves a target when the fault lands. Random targets are drawn from `eligible` nodes with the `chaos`
 * stream; a stateful target follows the primary (or a replica) wherever it is at that moment.
 */
export const resolveTargets = (
  target: TargetSpec,
  cluster: Cluster,
  rng: RandomStream,
  eligible: (n: NodeRuntime) => boolean,
): Result<NodeRuntime[], string> => {
  switch (target.kind) {
    case 'nodes': {
      const nodes: NodeRuntime[] = [];
      for (const id of target.nodes) {
        const n = cluster.node(id);
        if (n === undefined) return err(`unknown node ${id}`);
        nodes.push(n);
      }
      return ok(nodes);
    }
    case 'primary-of':
    case 'replica-of': {
      const chosen = pickServiceReplica(target, cluster, rng, (r) => r.state !== 'removed');
      return chosen.ok ? ok([chosen.value.node]) : chosen;
    }
    case 'replica': {
      const r = cluster.replica(target.replica);
      return r === undefined ? err(`unknown replica ${target.replica}`) : ok([r.node]);
    }
    case 'random': {
      const pool = cluster.nodes.filter(eligible);
      if (pool.length === 0) return err('no eligible node');
      // A percentage is of the whole cluster, not of the nodes that happen to be eligible right now.
      return ok(rng.sample(pool, Math.min(pool.length, radiusCount(target.radius, cluster.nodes.length))));
    }
  }
};

/**
 * The replica a `primary-of` or `replica-of` target names when the fault lands: the service's primary, or one
 * of its other replicas that `keep` admits, drawn with the `chaos` stream.
 */
export const pickServiceReplica = (
  target: Extract<TargetSpec, { kind: 'primary-of' | 'replica-of' }>,
  cluster: Cluster,
  rng: RandomStream,
  keep: (r: Replica) => boolean,
): Result<Replica, string> => {
  const s = cluster.service(target.service);
  if (s === undefined) return err(`unknown service ${target.service}`);
  const candidates =
    target.kind === 'primary-of'
      ? s.primary === null
        ? []
        : [s.primary]
      : s.replicas.filter((r) => r.role !== 'primary' && keep(r));
  const chosen = rng.pick(candidates);
  return chosen === undefined ? err(`${target.service} has no ${target.kind.slice(0, -3)} now`) : ok(chosen);
};
