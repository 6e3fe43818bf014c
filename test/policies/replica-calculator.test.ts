import { describe, expect, it } from 'vitest';
import { recommendReplicas } from '../../src/policies/kubernetes/replica-calculator.ts';

const TARGET = 0.8;
const TOLERANCE = 0.1;
const pods = (utilisations: readonly number[], extra: { missing?: number; unready?: number } = {}) => ({
  readySum: utilisations.reduce((a, b) => a + b, 0),
  readyCount: utilisations.length,
  missing: extra.missing ?? 0,
  unready: extra.unready ?? 0,
});

describe('HPA replica calculator', () => {
  it('scales to ceil(pods x usage / target): 3 pods at 100 % of an 80 % target want 4', () => {
    expect(recommendReplicas(pods([1, 1, 1]), 3, TARGET, TOLERANCE)).toBe(4);
  });

  it('keeps the count while usage is within 10 % of the target', () => {
    expect(recommendReplicas(pods([0.86, 0.86, 0.86]), 3, TARGET, TOLERANCE)).toBe(3);
    expect(recommendReplicas(pods([0.73, 0.73, 0.73]), 3, TARGET, TOLERANCE)).toBe(3);
  });

  it('scales down on low usage: 4 pods at 40 % want 2', () => {
    expect(recommendReplicas(pods([0.4, 0.4, 0.4, 0.4]), 4, TARGET, TOLERANCE)).toBe(2);
  });

  it('does not scale up when a dead pod, counted at 0 %, reverses the direction (a node just crashed)', () => {
    // Two survivors at 100 % say x1.25; with the unready third at 0 % the mean is 67 %: a scale-down, so nothing.
    expect(recommendReplicas(pods([1, 1], { unready: 1 }), 3, TARGET, TOLERANCE)).toBe(3);
  });

  it('counts pods without metrics as fully used on a scale-down, which can cancel it', () => {
    // Two pods at 60 % say x0.75; a third without metrics at 100 % makes it 73 %: within the tolerance.
    expect(recommendReplicas(pods([0.6, 0.6], { missing: 1 }), 3, TARGET, TOLERANCE)).toBe(3);
  });

  it('does nothing without a single ready pod with metrics', () => {
    expect(recommendReplicas(pods([], { missing: 2, unready: 1 }), 3, TARGET, TOLERANCE)).toBe(3);
  });
});
