import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant (`npm run mutation`): those that pin the failure detectors and
 * the ground-truth service level. Narrower than the whole suite so a mutation run takes minutes, not hours.
 */
export default defineConfig({
  test: {
    include: [
      'test/mapek/failure-detectors.test.ts',
      'test/mapek/phi-accrual-statistics.test.ts',
      'test/mapek/k-missed-detector.test.ts',
      'test/measures/service-level.test.ts',
      'test/measures/fault-measures.test.ts',
    ],
    testTimeout: 60_000,
  },
});
