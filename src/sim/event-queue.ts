/**
 * A binary min-heap of timed entries. Ties on time are broken by insertion order, so two events scheduled
 * for the same instant always fire in the order they were scheduled: the property determinism rests on.
 */
export interface QueueEntry {
  readonly atMs: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

const before = (a: QueueEntry, b: QueueEntry): boolean =>
  a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);

export class EventQueue {
  private readonly heap: QueueEntry[] = [];
  private nextSeq = 0;
  private live = 0;

  /** Number of entries that will still fire. */
  get size(): number {
    return this.live;
  }

  push(atMs: number, fire: () => void): QueueEntry {
    const entry: QueueEntry = { atMs, seq: this.nextSeq++, fire, cancelled: false };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as QueueEntry;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
    this.live++;
    return entry;
  }

  cancel(entry: QueueEntry): void {
    if (entry.cancelled) return;
    entry.cancelled = true;
    this.live--;
  }

  /** The earliest live entry, without removing it. Cancelled entries are dropped lazily here. */
  peek(): QueueEntry | undefined {
    let top = this.heap[0];
    while (top?.cancelled) {
      this.removeTop();
      top = this.heap[0];
    }
    return top;
  }

  /** Removes and returns the earliest live entry. */
  pop(): QueueEntry | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    // Marked so a late cancel() of an already-fired entry does not corrupt the live count.
    top.cancelled = true;
    return top;
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && before(heap[r] as QueueEntry, heap[l] as QueueEntry)) child = r;
      const c = heap[child] as QueueEntry;
      if (!before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
}
