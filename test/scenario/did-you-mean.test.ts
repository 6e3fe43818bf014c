import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/scenario/did-you-mean.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit each', () => {
    expect([
      editDistance('duration', 'duration'),
      editDistance('duraton', 'duration'),
      editDistance('durations', 'duration'),
      editDistance('durbtion', 'duration'),
      editDistance('udration', 'duration'),
    ]).toEqual([0, 1, 1, 1, 1]);
  });

  it('ignores case', () => {
    expect(editDistance('memoryGB', 'memoryGb')).toBe(0);
  });
});

describe('didYouMean', () => {
  const keys = [
    'name',
    'description',
    'seed',
    'duration',
    'cluster',
    'workload',
    'controller',
    'faults',
    'slo',
  ];

  it('suggests the closest key within a third of its length', () => {
    expect([didYouMean('duraton', keys), didYouMean('sed', keys), didYouMean('fault', keys)]).toEqual([
      'duration',
      'seed',
      'faults',
    ]);
  });

  it('suggests nothing for a word unlike any key', () => {
    expect(didYouMean('timeout', keys)).toBeUndefined();
  });

  it('does not suggest the word itself', () => {
    expect(didYouMean('seed', ['seed'])).toBeUndefined();
  });
});
