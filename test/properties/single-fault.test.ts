import { test } from '@fast-check/vitest';
// Imported as a user would: the package's `mapek/testing` entry point.
import { arbitraries, properties } from 'mapek/testing';
import { describe } from 'vitest';
import { fixture, propertyParams, propertyTimeout } from './support.ts';

// Six nodes with a replica of everything to spare; the budget is one fault at a time, of any kind, on one
// node (fixtures/single-fault.yaml). Exactly one fault per run: the redundancy budget, not an empty schedule.
const { input, budget } = fixture('single-fault.yaml');
const RUNS = 60;

describe('the MAPE-K loop within the redundancy budget', () => {
  test.prop(
    [arbitraries.scenarioWithFaults(input, { ...budget, minFaults: 1, maxFaults: 1 })],
    propertyParams(RUNS),
  )(
    'recovers from any single fault within its SLOs',
    properties.recoversWithinSlos({ policy: 'mapek' }),
    propertyTimeout(RUNS),
  );
});
