import { describe, expect, it } from 'vitest';
import { POLICY_NAMES } from '../../src/controllers/controller-spec.ts';
import { run } from './support.ts';

/**
 * Issue 11: CPU hogs on 3 of 5 nodes at once. On main the oracle moved replicas onto another hogged node and
 * then rebooted that node (oracle MTTR 72.6 s against the loop's 32.2 s): not the bound the benchmark divides by.
 */
const THREE_OF_FIVE = {
  duration: '12m',
  cluster: {
    nodes: { count: 5 },
    services: [
      { name: 'api', replicas: 5, capacityRps: 400 },
      { name: 'orders', replicas: 5, capacityRps: 300 },
    ],
    sensors: { scrapeInterval: '5s' },
  },
  workload: [
    { service: 'api', rps: 1700 },
    { service: 'orders', rps: 1300 },
  ],
  controller: { cycleInterval: '2s' },
  faults: [
    {
      at: '2m',
      kind: 'resource-exhaustion',
      target: 'random',
      blastRadius: 'count:3',
      resource: 'cpu',
      level: '90%',
      duration: '5m',
    },
  ],
};

describe('CPU exhaustion on 3 of 5 nodes (issue 11)', () => {
  it.each([1, 2, 3])('seed %i: the oracle recovers first, strictly before every other policy', (seed) => {
    const mttr = (p: (typeof POLICY_NAMES)[number]) =>
      run(THREE_OF_FIVE, p, seed).outcome.measures[0]?.mttrMs;

    const oracle = mttr('oracle');
    const others = POLICY_NAMES.filter((p) => p !== 'oracle').map(mttr);

    expect(oracle).toEqual(expect.any(Number));
    for (const other of others) expect(other ?? Number.POSITIVE_INFINITY).toBeGreaterThan(oracle ?? 0);
  });
});
