/** Which direction of traffic a partition blocks, relative to its first group. */
export type PartitionDirection = 'both' | 'outbound' | 'inbound';

/** An active cut: each endpoint's side, or -1 for endpoints the cut does not touch. */
interface Cut {
  readonly id: string;
  readonly side: Int16Array;
  readonly direction: PartitionDirection;
}

/**
 * Reachability between endpoints: nodes are 0..n-1 and the control plane is n. Partitions are few and
 * change rarely, so a query walks the active cuts; the per-node control-plane links every request and
 * heartbeat needs are cached and refreshed on each change.
 */
export class Network {
  private readonly cuts: Cut[] = [];
  /** node -> control plane traffic gets through. */
  readonly nodeToControl: Uint8Array;
  /** control plane -> node traffic gets through. */
  readonly controlToNode: Uint8Array;

  constructor(readonly nodeCount: number) {
    this.nodeToControl = new Uint8Array(nodeCount).fill(1);
    this.controlToNode = new Uint8Array(nodeCount).fill(1);
  }

  /** Index of the control plane endpoint. */
  get control(): number {
    return this.nodeCount;
  }

  /** Number of active partitions. */
  get partitionCount(): number {
    return this.cuts.length;
  }

  /**
   * Adds a partition. `side[e]` is the group of endpoint `e` (0 = the first group) or -1 when untouched.
   */
  partition(id: string, side: Int16Array, direction: PartitionDirection): void {
    this.cuts.push({ id, side, direction });
    this.refresh();
  }

  /** Removes a partition; returns whether it was active. */
  heal(id: string): boolean {
    const i = this.cuts.findIndex((c) => c.id === id);
    if (i < 0) return false;
    this.cuts.splice(i, 1);
    this.refresh();
    return true;
  }

  /** Whether traffic from endpoint `a` reaches endpoint `b`. */
  reaches(a: number, b: number): boolean {
    for (const cut of this.cuts) {
      const sa = cut.side[a] ?? -1;
      const sb = cut.side[b] ?? -1;
      if (sa < 0 || sb < 0 || sa === sb) continue;
      if (cut.direction === 'both') return false;
      if (cut.direction === 'outbound' && sa === 0) return false;
      if (cut.direction === 'inbound' && sb === 0) return false;
    }
    return true;
  }

  /** Whether a request-response exchange between `a` and `b` succeeds (both directions). */
  connected(a: number, b: number): boolean {
    return this.reaches(a, b) && this.reaches(b, a);
  }

  /** Whether the control plane and node `n` can exchange requests and responses. */
  controlLinked(n: number): boolean {
    return this.nodeToControl[n] === 1 && this.controlToNode[n] === 1;
  }

  private refresh(): void {
    const c = this.control;
    for (let n = 0; n < this.nodeCount; n++) {
      this.nodeToControl[n] = this.reaches(n, c) ? 1 : 0;
      this.controlToNode[n] = this.reaches(c, n) ? 1 : 0;
    }
  }
}
