// A consumer's own property test: vitest with @fast-check/vitest, importing the published mapek/testing.
import { test } from '@fast-check/vitest';
import { arbitraries, baseScenario, properties } from 'mapek/testing';

const { input, budget } = baseScenario('node_modules/mapek/docs/examples/async-orders.yaml', {
  maxFaults: 1,
});

test.prop([arbitraries.scenarioWithFaults(input, budget)], { seed: 1, numRuns: 3 })(
  'async-orders is deterministic under generated faults',
  properties.isDeterministic(),
);
