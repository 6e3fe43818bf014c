import type { FaultRecord } from '../chaos/ground-truth.ts';
import { type Cluster, isAlive } from '../cluster/cluster.ts';
import type { EndState } from './lasting-damage.ts';

/**
 * Reads the end state the measures judge lasting damage on from the cluster's ground truth: nodes crashed,
 * replicas the faults hit that no longer serve in services left short of their declared count, and services
 * that lost acknowledged writes.
 */
export const endStateOf = (cluster: Cluster, faults: readonly FaultRecord[]): EndState => {
  const downNodes = new Set<string>();
  // A node still booting is coming back (a reboot in progress): not lasting damage.
  for (const n of cluster.nodes) if (n.state === 'crashed') downNodes.add(n.id);
  const short = new Set<string>();
  const writeLossServices = new Set<string>();
  for (const s of cluster.services) {
    const live = s.replicas.filter((r) => isAlive(r) && cluster.controlReachable(r)).length;
    if (live < s.spec.replicas) short.add(s.spec.name);
    if (s.lostWrites > 0) writeLossServices.add(s.spec.name);
  }
  const lostReplicas = new Set<string>();
  for (const f of faults) {
    for (const c of f.components) {
      if (cluster.node(c) !== undefined || cluster.service(c) !== undefined) continue;
      const r = cluster.replica(c);
      // A deleted replica is forgotten by the cluster: its service is the one whose name prefixes its id.
      const service = r?.service.spec.name ?? f.components.find((s) => c.startsWith(`${s}-`));
      if (service === undefined || !short.has(service)) continue;
      // Starting, or on a node still booting, it is coming back: not lost.
      const coming = r !== undefined && (r.state === 'starting' || r.node.state === 'booting');
      if (r === undefined || (!coming && !(isAlive(r) && cluster.controlReachable(r)))) lostReplicas.add(c);
    }
  }
  return { downNodes, lostReplicas, writeLossServices };
};
