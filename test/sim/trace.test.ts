import { describe, expect, it } from 'vitest';
import { Trace } from '../../src/sim/trace.ts';

describe('Trace', () => {
  it('hashes the same events to the same value', () => {
    const a = new Trace();
    const b = new Trace();
    for (const t of [a, b]) {
      t.record({ t: 0, kind: 'x', source: 'n1' });
      t.record({ t: 5, kind: 'y', source: 'n2', detail: 3 });
    }

    expect(a.hash).toBe(b.hash);
    expect(a.count).toBe(2);
  });

  it('changes the hash when any field or the order changes', () => {
    const base = new Trace();
    base.record({ t: 0, kind: 'x', source: 'n1' });
    base.record({ t: 5, kind: 'y', source: 'n2' });
    const swapped = new Trace();
    swapped.record({ t: 5, kind: 'y', source: 'n2' });
    swapped.record({ t: 0, kind: 'x', source: 'n1' });
    const shifted = new Trace();
    shifted.record({ t: 0, kind: 'x', source: 'n1' });
    shifted.record({ t: 6, kind: 'y', source: 'n2' });

    expect(swapped.hash).not.toBe(base.hash);
    expect(shifted.hash).not.toBe(base.hash);
  });

  it('keeps lines only when asked, and the hash can be read at any time', () => {
    const kept = new Trace(true);
    const dropped = new Trace(false);
    for (const t of [kept, dropped]) t.record({ t: 1, kind: 'x', source: 's' });
    const early = kept.hash;
    kept.record({ t: 2, kind: 'x', source: 's' });

    expect(kept.recordedLines).toEqual([
      '{"t":1,"kind":"x","source":"s"}',
      '{"t":2,"kind":"x","source":"s"}',
    ]);
    expect(dropped.recordedLines).toEqual([]);
    expect(kept.hash).not.toBe(early);
  });
});
