import { describe, expect, it } from 'vitest';
import { TraceHasher } from '../../src/sim/trace-encoding.ts';

const hashOf = (...values: unknown[]) => {
  const h = new TraceHasher();
  for (const v of values) h.add(v);
  return h.digest();
};

describe('TraceHasher: the trace hash over a compact encoding', () => {
  it('hashes the same events to the same 64 hex digits, and reading the digest does not end it', () => {
    const h = new TraceHasher();
    h.add({ t: 1, kind: 'x', source: 's' });
    const early = h.digest();
    h.add({ t: 2, kind: 'x', source: 's' });

    expect(early).toMatch(/^[0-9a-f]{64}$/);
    expect(early).toBe(hashOf({ t: 1, kind: 'x', source: 's' }));
    expect(h.digest()).toBe(hashOf({ t: 1, kind: 'x', source: 's' }, { t: 2, kind: 'x', source: 's' }));
  });

  it('changes with any value, its type, a key, the field order or where one event ends', () => {
    const base = { t: 5, kind: 'y', source: 'n2', n: 1, list: [1, 2], nested: { a: true } };
    const variants: unknown[] = [
      { ...base, t: 5.5 },
      { ...base, n: '1' },
      { ...base, n: true },
      { ...base, n: null },
      { ...base, n: -0 },
      { ...base, n: 2 ** 31 },
      { ...base, list: [2, 1] },
      { ...base, list: [1, 2, 3] },
      { ...base, nested: { a: false } },
      { ...base, nested: { b: true } },
      { t: 5, source: 'n2', kind: 'y', n: 1, list: [1, 2], nested: { a: true } },
      { ...base, source: 'n2 ' },
    ];
    const hashes = new Set([hashOf(base), ...variants.map((v) => hashOf(v))]);

    expect(hashes.size).toBe(variants.length + 1);
    expect(hashOf({ a: 'xy' }, { b: 'z' })).not.toBe(hashOf({ a: 'x' }, { yb: 'z' }));
  });

  it('leaves out what a JSON line leaves out: undefined and function fields', () => {
    expect(hashOf({ t: 1, kind: 'x', source: 's', gone: undefined, f: () => 1 })).toBe(
      hashOf({ t: 1, kind: 'x', source: 's' }),
    );
  });

  it('hashes across its chunks and long strings: many events and a string longer than a chunk', () => {
    const long = 'é'.repeat(70_000);
    const many = Array.from({ length: 20_000 }, (_, i) => ({
      t: i,
      kind: 'k',
      source: `s${i % 7}`,
      v: i / 3,
    }));
    const a = new TraceHasher();
    for (const e of many) a.add(e);
    a.add({ long });
    const b = new TraceHasher();
    for (const e of many) b.add(e);
    b.add({ long: `${long.slice(1)}e` });

    expect(a.digest()).toBe(hashOf(...many, { long }));
    expect(a.digest()).not.toBe(b.digest());
  });
});
