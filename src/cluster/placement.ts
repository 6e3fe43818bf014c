import { err, ok, type Result } from '../base/result.ts';
import { MinHeap } from './min-heap.ts';
import type { NodeRuntime } from './runtime/records.ts';
import type { ClusterSpec, ServiceSpec } from './spec.ts';

/** CPU is compared with this slack, so that cores added up in floating point still fit exactly. */
const CPU_EPSILON = 1e-9;

/**
 * Chooses a node for a new replica of `service`, as a scheduler would: an up, uncordoned node with CPU to
 * spare, holding the fewest replicas of this service, then the fewest replicas overall, then the lowest index.
 * Deterministic, so placements replay exactly. Returns undefined when no node fits. `planned` counts replicas
 * of `service` an action has already chosen nodes for and not yet created (they count as held, after the
 * node's own). One pass over the nodes and their replicas: for an action at run time; building a cluster uses
 * {@link initialPlacement}.
 */
export const chooseNode = (
  nodes: readonly NodeRuntime[],
  spec: ClusterSpec,
  service: ServiceSpec,
  eligible: (node: NodeRuntime) => boolean = () => true,
  planned?: ReadonlyMap<NodeRuntime, number>,
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
    const extra = planned?.get(node) ?? 0;
    for (let k = 0; k < extra; k++) used += service.cpuPerReplica;
    total += extra;
    same += extra;
    if (used + service.cpuPerReplica > spec.nodes.cpuCores + CPU_EPSILON) continue;
    if (best === undefined || same < bestSame || (same === bestSame && total < bestTotal)) {
      best = node;
      bestSame = same;
      bestTotal = total;
    }
  }
  return best;
};

/** The replica that found no node with CPU to spare. */
export interface PlacementFailure {
  readonly service: ServiceSpec;
  /** Its number within the service, from 0. */
  readonly replica: number;
}

/**
 * Where every replica of a fresh cluster goes, in spec order (service by service, replica by replica): the
 * node index {@link chooseNode} would pick for each on a cluster with every node up, uncordoned and empty,
 * in O((replicas + nodes) * cpu sizes * log nodes) instead of its O(replicas * (nodes + replicas)).
 *
 * For each distinct CPU size a min-heap orders the nodes that still fit a replica of that size by (replicas
 * held, index); entries go stale when a node gains a replica (a fresh one is pushed) and are dropped for
 * good when the node no longer fits that size (nodes only fill up while a cluster is built). While placing a
 * service, nodes already holding it are set aside until the service is done; once no node without it fits,
 * the nodes holding it are compared directly (there are at most as many as the service has replicas).
 */
export const initialPlacement = (spec: ClusterSpec): Result<Int32Array, PlacementFailure> => {
  const n = spec.nodes.count;
  const cores = spec.nodes.cpuCores;
  const sizes = [...new Set(spec.services.map((s) => s.cpuPerReplica))];
  const used = new Float64Array(n);
  const total = new Int32Array(n);
  const same = new Int32Array(n);
  // key = total * n + index: one number orders by replicas held, then by index.
  const heaps = sizes.map((c) => {
    const keys: number[] = [];
    if (c <= cores + CPU_EPSILON) for (let i = 0; i < n; i++) keys.push(i);
    return MinHeap.fromSorted(keys);
  });
  const heapOf = new Map(sizes.map((c, i) => [c, heaps[i] as MinHeap]));
  const out = new Int32Array(spec.services.reduce((sum, s) => sum + s.replicas, 0));
  let next = 0;
  const fits = (i: number, c: number) => (used[i] ?? 0) + c <= cores + CPU_EPSILON;
  for (const s of spec.services) {
    const c = s.cpuPerReplica;
    const heap = heapOf.get(c) as MinHeap;
    const holding: number[] = [];
    const setAside: number[] = [];
    let fresh = true;
    for (let k = 0; k < s.replicas; k++) {
      let chosen = -1;
      while (fresh && chosen < 0) {
        const key = heap.peek();
        if (key === undefined) {
          fresh = false;
          break;
        }
        const i = key % n;
        if ((key - i) / n !== total[i] || !fits(i, c)) heap.pop();
        else if ((same[i] ?? 0) > 0) setAside.push(heap.pop() as number);
        else chosen = i;
      }
      if (chosen < 0) chosen = fewestAmong(holding, same, total, c, fits);
      if (chosen < 0) return err({ service: s, replica: k });
      used[chosen] = (used[chosen] ?? 0) + c;
      const t = (total[chosen] ?? 0) + 1;
      total[chosen] = t;
      if ((same[chosen] ?? 0) === 0) holding.push(chosen);
      same[chosen] = (same[chosen] ?? 0) + 1;
      for (let h = 0; h < sizes.length; h++) if (fits(chosen, sizes[h] ?? 0)) heaps[h]?.push(t * n + chosen);
      out[next++] = chosen;
    }
    for (const key of setAside) heap.push(key);
    for (const i of holding) same[i] = 0;
  }
  return ok(out);
};

/** The node holding the service that {@link chooseNode} prefers: fewest of it, then fewest overall, then lowest index. */
const fewestAmong = (
  holding: readonly number[],
  same: Int32Array,
  total: Int32Array,
  c: number,
  fits: (i: number, c: number) => boolean,
): number => {
  let best = -1;
  for (const i of holding) {
    if (!fits(i, c)) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const ds = (same[i] ?? 0) - (same[best] ?? 0);
    const dt = (total[i] ?? 0) - (total[best] ?? 0);
    if (ds < 0 || (ds === 0 && (dt < 0 || (dt === 0 && i < best)))) best = i;
  }
  return best;
};
