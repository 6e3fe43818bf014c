import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { arbitraries, properties } from '../../src/testing/index.ts';
import { fixture, propertyParams, propertyTimeout } from './support.ts';

// No flapping (src/testing/flapping.ts): the loop never acts on a node that no fault implicates, that is,
// one ground truth shows healthy and reachable, with a 60 s grace after a fault clears for lagging sensors
// and a tolerance of 0 such actions per run.
const RUNS = 40;

describe('the MAPE-K loop leaves healthy, reachable nodes alone', () => {
  const { input, budget } = fixture('single-fault.yaml');

  test.prop([arbitraries.scenarioWithFaults(input, { ...budget, maxFaults: 3 })], propertyParams(RUNS))(
    'under a sequence of single faults of any kind',
    properties.neverFlaps(),
    propertyTimeout(RUNS),
  );

  // Generated clusters sized so that losing one replica of each service still carries the load, one fault at
  // a time on one node: within the redundancy budget.
  const generated = arbitraries.scenario({
    spareReplicas: 1,
    budget: { maxConcurrent: 1, maxBlastRadius: 1 },
  });

  test.prop([generated], propertyParams(RUNS))(
    'on generated clusters within their redundancy budget',
    properties.neverFlaps(),
    propertyTimeout(RUNS),
  );
});
