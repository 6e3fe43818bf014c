import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { arbitraries, properties } from '../../src/testing/index.ts';
import { propertyParams, propertyTimeout } from './support.ts';

// Random clusters (3 to 12 nodes, up to 3 services, one maybe stateful), workloads and fault schedules of
// every kind, with the MAPE-K loop: each run twice must give the same trace hash.
const RUNS = 30;

describe('every generated scenario', () => {
  test.prop([arbitraries.scenario()], propertyParams(RUNS))(
    'is deterministic: the same seed gives the same trace',
    properties.isDeterministic(),
    propertyTimeout(RUNS),
  );
});
