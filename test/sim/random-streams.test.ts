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
