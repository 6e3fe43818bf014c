import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/sim/random-streams.ts';

const draws = (streams: RandomStreams, name: string, n: number) =>
  Array.from({ length: n }, () => streams.stream(name).next());

describe('RandomStreams', () => {
  it('gives the same draws for the same seed and name', () => {
    const a = new RandomStreams(42);
    const b = new RandomStreams(42);

    expect(draws(a, 'chaos', 5)).toEqual(draws(b, 'chaos', 5));
  });

  it('keeps streams independent: drawing more from one never changes another', () => {
    const quiet = new RandomStreams(7);
    const busy = new RandomStreams(7);
    draws(busy, 'sensors', 10_000);

    expect(draws(busy, 'chaos', 20)).toEqual(draws(quiet, 'chaos', 20));
  });

  it('gives different draws to different names and different seeds', () => {
    const s = new RandomStreams(1);

    expect(draws(s, 'chaos', 3)).not.toEqual(draws(new RandomStreams(1), 'workload', 3));
    expect(draws(new RandomStreams(1), 'chaos', 3)).not.toEqual(draws(new RandomStreams(2), 'chaos', 3));
  });

  it('draws weighted keys in proportion to their weight and never a zero-weight key', () => {
    const rng = new RandomStreams(3).stream('chaos');
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };

    for (let i = 0; i < 30_000; i++) {
      const k = rng.weighted({ a: 1, b: 2, c: 0 });
      if (k !== undefined) counts[k] = (counts[k] ?? 0) + 1;
    }

    expect(counts.c).toBe(0);
    expect((counts.b ?? 0) / (counts.a ?? 1)).toBeGreaterThan(1.8);
    expect((counts.b ?? 0) / (counts.a ?? 1)).toBeLessThan(2.2);
  });

  it('draws exponential values with the requested mean', () => {
    const rng = new RandomStreams(5).stream('chaos');
    let sum = 0;

    for (let i = 0; i < 20_000; i++) sum += rng.exponential(600_000);

    expect(sum / 20_000).toBeGreaterThan(580_000);
    expect(sum / 20_000).toBeLessThan(620_000);
  });

  it('samples distinct elements', () => {
    const rng = new RandomStreams(9).stream('chaos');

    const picked = rng.sample(['a', 'b', 'c', 'd', 'e'], 3);

    expect(new Set(picked).size).toBe(3);
  });
});

describe('RandomStream.noiseAt: noise at a point of a counter space', () => {
  const points = (n: number) => Array.from({ length: n }, (_, i) => [10_000 * (i >> 6), i & 7, (i >> 3) & 7]);

  it('gives the same value at the same point, whatever was drawn or asked for before', () => {
    const a = new RandomStreams(3).stream('sensors');
    const b = new RandomStreams(3).stream('sensors');
    for (let i = 0; i < 1_000; i++) b.next();
    b.noiseAt(5, 5, 5);

    expect(points(64).map(([t, e, f]) => a.noiseAt(t ?? 0, e ?? 0, f ?? 0))).toEqual(
      points(64).map(([t, e, f]) => b.noiseAt(t ?? 0, e ?? 0, f ?? 0)),
    );
  });

  it('leaves the sequential draws untouched', () => {
    const quiet = new RandomStreams(9).stream('sensors');
    const noisy = new RandomStreams(9).stream('sensors');
    for (let i = 0; i < 100; i++) noisy.noiseAt(i, i, i);

    expect([noisy.next(), noisy.next()]).toEqual([quiet.next(), quiet.next()]);
  });

  it('is standard normal over many points, and neighbouring fields, entities and times are uncorrelated', () => {
    const s = new RandomStreams(1).stream('sensors');
    const n = 64_000;
    let sum = 0;
    let squares = 0;
    let field = 0;
    let entity = 0;
    let time = 0;
    for (let i = 0; i < n; i++) {
      const t = 10_000 * Math.floor(i / 64);
      const e = i % 64;
      const z = s.noiseAt(t, e, 0);
      sum += z;
      squares += z * z;
      field += z * s.noiseAt(t, e, 1);
      entity += z * s.noiseAt(t, e + 1, 0);
      time += z * s.noiseAt(t + 10_000, e, 0);
    }

    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.03);
    for (const c of [field, entity, time]) expect(Math.abs(c / n)).toBeLessThan(0.02);
  });

  it('differs between streams, seeds and times beyond 2^32 ms', () => {
    const at = (seed: number, name: string, t: number) =>
      new RandomStreams(seed).stream(name).noiseAt(t, 1, 2);
    const values = [
      at(1, 'sensors', 0),
      at(2, 'sensors', 0),
      at(1, 'sensors/flow', 0),
      at(1, 'sensors', 2 ** 32),
    ];
    const spread = Array.from({ length: 32 }, (_, k) => at(1, 'sensors', k * 2 ** 32));

    expect(new Set(values).size).toBe(4);
    expect(new Set(spread).size).toBeGreaterThan(24);
  });
});
