import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arbitraries,
  baseScenario,
  failedRun,
  PropertyFailure,
  properties,
} from '../../src/testing/index.ts';

// The worked example of docs/properties.md: what the document shows must stay what the code does.
const EXAMPLE = 'docs/examples/async-orders.yaml';

const search = (kinds?: ('node-crash' | 'network-partition')[]) => {
  const { input, budget } = baseScenario(EXAMPLE, kinds === undefined ? {} : { kinds });
  return fc.check(
    fc.property(arbitraries.scenarioWithFaults(input, budget), properties.losesNoAcknowledgedWrite()),
    {
      seed: 1,
    },
  );
};

describe('docs/properties.md, worked example', () => {
  it('finds async replication losing writes and shrinks it to one crash of the primary', () => {
    const details = search();

    expect(details.counterexample?.[0].faults).toEqual([
      { at: '1m', kind: 'node-crash', target: 'node-1', duration: '10s' },
    ]);
    expect(details.counterexamplePath).toBe('7:3:2:2:2');
    expect(details.errorInstance).toBeInstanceOf(PropertyFailure);
    const failure = details.errorInstance as PropertyFailure;
    expect(failure.message).toMatch(/^120 acknowledged writes lost \(seed 1, policy mapek\)/);
    // The loop did recover the service: the writes were lost when async replication acknowledged them.
    expect(failedRun(failure)?.outcome.measures[0]?.mttrMs).toBe(10_000);
  });

  it('a slowdown of the primary is handed over by a switchover and loses no write, even async', () => {
    const { input } = baseScenario(EXAMPLE);
    const faults = [
      {
        at: '1m',
        kind: 'performance-degradation',
        target: 'primary-of:orders',
        latencyFactor: 2,
        capacityFactor: '80%',
        duration: '10s',
      },
    ];

    expect(() => properties.losesNoAcknowledgedWrite()({ ...input, faults })).not.toThrow();
  });

  it('with crashes and partitions only, shrinks to a 10 s partition of the primary', () => {
    const details = search(['node-crash', 'network-partition']);

    expect(details.counterexample?.[0].faults).toEqual([
      { at: '1m', kind: 'network-partition', isolate: 'primary-of:orders', duration: '10s' },
    ]);
  });

  it('with sync replication, neither shrunk schedule loses a write', () => {
    const { input } = baseScenario(EXAMPLE);
    const cluster = input.cluster as { services: Record<string, unknown>[] };
    const sync = {
      ...input,
      cluster: {
        ...cluster,
        services: cluster.services.map((s, i) => (i === 0 ? { ...s, stateful: { replication: 'sync' } } : s)),
      },
    };
    const schedules = [
      [{ at: '1m', kind: 'node-crash', target: 'primary-of:orders', duration: '10s' }],
      [{ at: '1m', kind: 'network-partition', isolate: 'primary-of:orders', duration: '10s' }],
    ];

    for (const faults of schedules) {
      expect(() => properties.losesNoAcknowledgedWrite()({ ...sync, faults })).not.toThrow();
    }
  });
});
