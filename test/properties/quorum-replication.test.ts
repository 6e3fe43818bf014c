import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { arbitraries, properties } from '../../src/testing/index.ts';
import { fixture, propertyParams, propertyTimeout } from './support.ts';

// orders with quorum replication (3 acks of 5) and lease fencing, under schedules of up to 12 partitions and
// crashes of one or two nodes, two at a time (fixtures/quorum-orders.yaml), with the MAPE-K loop.
const { input, budget } = fixture('quorum-orders.yaml');
const schedules = arbitraries.scenarioWithFaults(input, {
  ...budget,
  kinds: ['network-partition', 'node-crash'],
});
const RUNS = 30;

describe('quorum replication under random partitions', () => {
  test.prop([schedules], propertyParams(RUNS))(
    'never promotes a replica on the minority side',
    properties.neverPromotesMinority(),
    propertyTimeout(RUNS),
  );

  test.prop([schedules], propertyParams(RUNS))(
    'loses no acknowledged write',
    properties.losesNoAcknowledgedWrite(),
    propertyTimeout(RUNS),
  );
});
