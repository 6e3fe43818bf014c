import type { ServiceRuntime } from '../runtime/records.ts';

/**
 * The services waiting for a recompute, handed out callers before their callees (a topological order), so a
 * callee recomputes once after all the callers that changed its load. Deterministic: the order depends only
 * on the declaration.
 */
export class TopologicalWorklist {
  /** Position of each service in the topological order (callers first). */
  private readonly rank: Int32Array;
  private readonly dirty: Uint8Array;
  private count = 0;

  /** `callees[i]`: the index of each callee of service i, one entry per call edge. */
  constructor(
    private readonly services: readonly ServiceRuntime[],
    callees: readonly (readonly number[])[],
  ) {
    this.rank = topologicalRank(services.length, callees);
    this.dirty = new Uint8Array(services.length);
  }

  /** Whether no service waits. */
  get empty(): boolean {
    return this.count === 0;
  }

  /** The services, callees before their callers (for what flows up the graph, such as idle call paths). */
  calleesFirst(): ServiceRuntime[] {
    return [...this.services].sort((a, b) => (this.rank[b.index] ?? 0) - (this.rank[a.index] ?? 0));
  }

  /** Puts a service on the list (once, however often it is marked). */
  mark(s: ServiceRuntime): void {
    if (this.dirty[s.index] === 1) return;
    this.dirty[s.index] = 1;
    this.count++;
  }

  /** Takes the waiting service first in the topological order (callers before their callees). */
  next(): ServiceRuntime | null {
    if (this.count === 0) return null;
    let best: ServiceRuntime | null = null;
    for (const s of this.services) {
      if (this.dirty[s.index] !== 1) continue;
      if (best === null || (this.rank[s.index] ?? 0) < (this.rank[best.index] ?? 0)) best = s;
    }
    if (best !== null) {
      this.dirty[best.index] = 0;
      this.count--;
    }
    return best;
  }
}

/**
 * Kahn's algorithm over the declaration order: rank 0 for services nobody calls, then each service after all
 * its callers. Validation rejects cycles; a service left on one (a hand-built spec) keeps the last ranks.
 */
const topologicalRank = (n: number, callees: readonly (readonly number[])[]): Int32Array => {
  const indegree = new Int32Array(n);
  for (const list of callees) for (const j of list) indegree[j] = (indegree[j] ?? 0) + 1;
  const rank = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  let next = 0;
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head] ?? 0;
    rank[i] = next++;
    for (const j of callees[i] ?? []) {
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) queue.push(j);
    }
  }
  for (let i = 0; i < n; i++) if (rank[i] === -1) rank[i] = next++;
  return rank;
};
