/**
 * Recent readings of one resource on every node, in ring buffers of plain typed arrays, with the least-squares
 * slope over the window: a leak shows as a steady positive slope long before the node runs out.
 */
export class ResourceTrend {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private readonly counts: Uint8Array;
  private readonly heads: Uint8Array;

  constructor(
    nodes: number,
    /** Readings kept per node. */
    private readonly window: number,
  ) {
    this.times = new Float64Array(nodes * window);
    this.values = new Float64Array(nodes * window);
    this.counts = new Uint8Array(nodes);
    this.heads = new Uint8Array(nodes);
  }

  /** Adds node `i`'s reading taken at `atMs`. */
  push(i: number, atMs: number, value: number): void {
    const head = this.heads[i] ?? 0;
    this.times[i * this.window + head] = atMs;
    this.values[i * this.window + head] = value;
    this.heads[i] = (head + 1) % this.window;
    this.counts[i] = Math.min(this.window, (this.counts[i] ?? 0) + 1);
  }

  /** Forgets node `i`'s readings (after a reboot the old level means nothing). */
  reset(i: number): void {
    this.counts[i] = 0;
    this.heads[i] = 0;
  }

  /** Readings held for node `i`. */
  count(i: number): number {
    return this.counts[i] ?? 0;
  }

  /** Least-squares slope of node `i`'s readings, per minute; 0 with fewer than `minPoints` readings. */
  slopePerMin(i: number, minPoints: number): number {
    const n = this.counts[i] ?? 0;
    if (n < Math.max(2, minPoints)) return 0;
    const base = i * this.window;
    let st = 0;
    let sv = 0;
    for (let k = 0; k < n; k++) {
      st += this.times[base + k] ?? 0;
      sv += this.values[base + k] ?? 0;
    }
    const mt = st / n;
    const mv = sv / n;
    let num = 0;
    let den = 0;
    for (let k = 0; k < n; k++) {
      const dt = (this.times[base + k] ?? 0) - mt;
      num += dt * ((this.values[base + k] ?? 0) - mv);
      den += dt * dt;
    }
    return den > 0 ? (num / den) * 60_000 : 0;
  }
}
