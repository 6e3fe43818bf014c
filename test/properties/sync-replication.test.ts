import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { arbitraries, properties } from '../../src/testing/index.ts';
import { fixture, propertyParams, propertyTimeout } from './support.ts';

// orders with sync replication and lease fencing, under schedules of up to 12 crashes and partitions of one
// or two nodes, two at a time (fixtures/sync-orders.yaml), with the MAPE-K loop.
const { input, budget } = fixture('sync-orders.yaml');
const schedules = arbitraries.scenarioWithFaults(input, {
  ...budget,
  kinds: ['node-crash', 'network-partition'],
});
const RUNS = 40;

describe('sync replication under crashes and partitions', () => {
  test.prop([schedules], propertyParams(RUNS))(
    'loses no acknowledged write',
    properties.losesNoAcknowledgedWrite(),
    propertyTimeout(RUNS),
  );

  test.prop([schedules], propertyParams(RUNS))(
    'never has two primaries accepting writes',
    properties.neverHasTwoPrimaries(),
    propertyTimeout(RUNS),
  );
});
