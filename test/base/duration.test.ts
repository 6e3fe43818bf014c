import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/base/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['24h', 86_400_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
    ['0', 0],
  ])('reads %s as %i ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['-5s', 'negative'],
    ['', 'empty'],
    ['30', 'syntax'],
    ['5 minutes', 'syntax'],
    ['0.5ms', 'sub-millisecond'],
    ['200y', 'syntax'],
  ])('refuses %j with reason %s', (input, reason) => {
    const r = parseDuration(input);

    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalid-duration');
      expect(r.error.reason).toBe(reason);
      expect(r.error.message).toContain(input);
    }
  });

  it('hints at the missing unit for a bare number', () => {
    const r = parseDuration('30');

    expect(r.ok ? '' : r.error.message).toMatch(/add a unit/);
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [30_000, '30s'],
    [1_500, '1.5s'],
    [5_400_000, '1h30m'],
    [86_400_000, '1d'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
