import { err, ok, type Result } from '../base/result.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { Replica } from '../cluster/runtime/records.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { FaultParams, ReplicaCount, TargetSpec } from './spec.ts';
import { pickServiceReplica, radiusCount } from './targets.ts';

/** The parameters of a fault inside a process: its target is a replica, not a node. */
export type ProcessFaultParams = Extract<
  FaultParams,
  { kind: 'process-hang' | 'crash-loop' | 'bad-deploy' | 'process-memory-leak' }
>;

const PROCESS_KINDS: ReadonlySet<string> = new Set([
  'process-hang',
  'crash-loop',
  'bad-deploy',
  'process-memory-leak',
]);

/** Whether a fault lands inside replicas' processes. */
export const isProcessFault = (p: FaultParams): p is ProcessFaultParams => PROCESS_KINDS.has(p.kind);

/** How many of `n` replicas a count or share names (a share rounds up, at least one, at most all). */
export const replicaCount = (c: ReplicaCount, n: number): number =>
  Math.min(n, Math.max(1, c.kind === 'count' ? c.count : Math.ceil(c.fraction * n - 1e-9)));

const live = (r: Replica) => r.state !== 'removed';

/**
 * The replica a process fault's target names when it lands: the named replica, a replica (not the primary)
 * of a service or its primary, drawn with the `chaos` stream; on named or random nodes, one replica drawn on
 * each. A replica on a node that is down is still a target (its process fault waits for it to run).
 */
const seedReplicas = (
  target: TargetSpec,
  cluster: Cluster,
  rng: RandomStream,
  eligible: (r: Replica) => boolean,
): Result<Replica[], string> => {
  const onNodes = (nodes: readonly { readonly replicas: readonly Replica[] }[]) => {
    const out: Replica[] = [];
    for (const n of nodes) {
      const r = rng.pick(n.replicas.filter(live));
      if (r !== undefined) out.push(r);
    }
    return out.length > 0 ? ok(out) : err('no replica on the target nodes');
  };
  switch (target.kind) {
    case 'replica': {
      const r = cluster.replica(target.replica);
      return r === undefined ? err(`unknown replica ${target.replica}`) : ok([r]);
    }
    case 'primary-of':
    case 'replica-of': {
      const chosen = pickServiceReplica(target, cluster, rng, live);
      return chosen.ok ? ok([chosen.value]) : chosen;
    }
    case 'nodes': {
      const nodes = [];
      for (const id of target.nodes) {
        const n = cluster.node(id);
        if (n === undefined) return err(`unknown node ${id}`);
        nodes.push(n);
      }
      return onNodes(nodes);
    }
    case 'random': {
      const pool = cluster.nodes.filter((n) => n.replicas.some((r) => live(r) && eligible(r)));
      if (pool.length === 0) return err('no eligible replica');
      return onNodes(
        rng.sample(pool, Math.min(pool.length, radiusCount(target.radius, cluster.nodes.length))),
      );
    }
  }
};

/**
 * The replicas a process fault lands in. A bad deploy reaches its seed replica and the next ones of the same
 * service, in the service's order, up to its count (a rollout that got that far); the others hit their seeds.
 */
export const resolveProcessReplicas = (
  params: ProcessFaultParams,
  cluster: Cluster,
  rng: RandomStream,
  eligible: (r: Replica) => boolean = () => true,
): Result<Replica[], string> => {
  const seeds = seedReplicas(params.target, cluster, rng, eligible);
  if (!seeds.ok || params.kind !== 'bad-deploy') return seeds;
  const [seed] = seeds.value;
  if (seed === undefined) return err('no replica');
  const all = seed.service.replicas.filter(live);
  const from = all.indexOf(seed);
  const n = replicaCount(params.replicas, all.length);
  const out: Replica[] = [];
  for (let k = 0; k < n; k++) {
    const r = all[(from + k) % all.length];
    if (r !== undefined) out.push(r);
  }
  return ok(out);
};
