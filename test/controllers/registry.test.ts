import { describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/controllers/registry.ts';
import { controllerSchema } from '../../src/scenario/schema/controller.ts';

describe('policy registry', () => {
  it('builds every baseline by the name scenarios use', () => {
    const spec = controllerSchema.parse({});

    const names = (['noop', 'restart-always', 'kubernetes', 'oracle'] as const).map(
      (name) => POLICIES[name](spec, {}).name,
    );

    expect(names).toEqual(['noop', 'restart-always', 'kubernetes', 'oracle']);
  });

  it('lets only the oracle among the baselines read ground truth', () => {
    const spec = controllerSchema.parse({});

    const readers = (['noop', 'restart-always', 'kubernetes', 'oracle'] as const).filter(
      (name) => POLICIES[name](spec, {}).readsGroundTruth === true,
    );

    expect(readers).toEqual(['oracle']);
  });
});
