/** A binary min-heap of numbers in a plain array: no allocation per push or pop once grown. */
export class MinHeap {
  private constructor(private readonly items: number[]) {}

  /** A heap over keys already in ascending order (a sorted array is a valid heap). */
  static fromSorted(keys: number[]): MinHeap {
    return new MinHeap(keys);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  push(key: number): void {
    const a = this.items;
    let i = a.length;
    a.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as number;
      if (p <= key) break;
      a[i] = p;
      i = parent;
    }
    a[i] = key;
  }

  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && (a[r] as number) < (a[l] as number) ? r : l;
      if ((a[child] as number) >= last) break;
      a[i] = a[child] as number;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
