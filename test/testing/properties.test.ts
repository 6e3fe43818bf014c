import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isDeterministic,
  losesNoAcknowledgedWrite,
  neverFlaps,
  neverHasTwoPrimaries,
  recoversWithinSlos,
} from '../../src/testing/properties.ts';
import { failedRun, PropertyFailure } from '../../src/testing/property-failure.ts';
import type { ScenarioInput } from '../../src/testing/scenario-input.ts';

/** Three nodes, orders stateful with one replica to spare, the MAPE-K loop in charge. */
const stateful = (
  replication: 'sync' | 'async',
  fencing: 'lease' | 'none',
  faults: unknown[],
): ScenarioInput => ({
  name: 'properties',
  duration: '5m',
  cluster: {
    nodes: { count: 3 },
    services: [{ name: 'orders', replicas: 3, capacityRps: 300, stateful: { replication, fencing } }],
    sensors: { scrapeInterval: '5s' },
  },
  workload: [{ service: 'orders', rps: 300, writeRatio: '30%' }],
  controller: { policy: 'mapek', cycleInterval: '2s' },
  faults,
});

const PRIMARY_CRASH = [{ at: '1m', kind: 'node-crash', target: 'primary-of:orders' }];
const PRIMARY_CUT_OFF = [
  { at: '1m', kind: 'network-partition', isolate: 'primary-of:orders', duration: '2m' },
];

/** The failure a property throws, or null when it holds. */
const failureOf = (
  property: (input: ScenarioInput) => void,
  input: ScenarioInput,
): PropertyFailure | null => {
  try {
    property(input);
    return null;
  } catch (e) {
    if (e instanceof PropertyFailure) return e;
    throw e;
  }
};

describe('recoversWithinSlos', () => {
  const crash = { ...stateful('sync', 'lease', PRIMARY_CRASH), slo: { recovery: '30s' } };

  it('holds when the loop recovers in time', () => {
    expect(failureOf(recoversWithinSlos(), crash)).toBeNull();
  });

  it('fails, naming the SLO and the faults, when nothing recovers', () => {
    const failure = failureOf(recoversWithinSlos({ policy: 'noop' }), crash);

    expect(failure?.kind).toBe('slo-violated');
    expect(failure?.message).toMatch(/recovery: target <= 30s; never recovered: f1/);
    expect(failure?.message).toMatch(/f1 node-crash on node-1 at 1m/);
  });

  it('judges SLOs given on top of the scenario', () => {
    const failure = failureOf(recoversWithinSlos({ slo: { availability: '100%' } }), crash);

    expect(failure?.message).toMatch(/availability/);
  });

  it('refuses a scenario without SLOs rather than pass it', () => {
    const failure = failureOf(recoversWithinSlos(), stateful('sync', 'lease', PRIMARY_CRASH));

    expect(failure?.kind).toBe('invalid-scenario');
  });

  it('refuses an invalid scenario, with the field at fault', () => {
    const failure = failureOf(recoversWithinSlos(), { ...crash, duration: 'soon' });

    expect(failure?.kind).toBe('invalid-scenario');
    expect(failure?.message).toMatch(/duration/);
  });
});

describe('losesNoAcknowledgedWrite', () => {
  it('holds for a failover with sync replication', () => {
    expect(failureOf(losesNoAcknowledgedWrite(), stateful('sync', 'lease', PRIMARY_CRASH))).toBeNull();
  });

  it('fails for a failover with async replication, which loses the writes in flight', () => {
    const failure = failureOf(losesNoAcknowledgedWrite(), stateful('async', 'lease', PRIMARY_CRASH));

    expect(failure?.kind).toBe('data-lost');
    expect(failure === null ? null : failedRun(failure)?.outcome.lostWrites).toBeGreaterThan(0);
  });
});

describe('neverHasTwoPrimaries', () => {
  it('holds with lease fencing', () => {
    expect(failureOf(neverHasTwoPrimaries(), stateful('sync', 'lease', PRIMARY_CUT_OFF))).toBeNull();
  });

  it('fails without fencing, when a cut-off primary keeps accepting writes after a promotion', () => {
    const failure = failureOf(neverHasTwoPrimaries(), stateful('sync', 'none', PRIMARY_CUT_OFF));

    expect(failure?.kind).toBe('split-brain');
    expect(failure === null ? null : failedRun(failure)?.outcome.splitBrainMs).toBeGreaterThan(0);
  });
});

describe('neverFlaps', () => {
  // A slowdown that is over before the loop moves the node's replicas: between two scrapes, so the p99 gauge
  // never sees it and the next scrape's interval mean does, once it has cleared.
  const blip = {
    ...stateful('sync', 'lease', []),
    cluster: {
      nodes: { count: 4 },
      services: [{ name: 'api', replicas: 4, capacityRps: 400 }],
      sensors: { scrapeInterval: '5s' },
    },
    workload: [{ service: 'api', rps: 800 }],
    faults: [
      {
        at: '61s',
        kind: 'performance-degradation',
        target: 'node-2',
        latencyFactor: 8,
        capacityFactor: '30%',
        duration: '3s',
      },
    ],
  };

  it('holds when the loop acts on a node within the grace after its fault cleared', () => {
    expect(failureOf(neverFlaps(), blip)).toBeNull();
  });

  it('fails without a grace, listing each action on a node no fault implicated', () => {
    const failure = failureOf(neverFlaps({ graceMs: 0 }), blip);

    expect(failure?.kind).toBe('flapping');
    expect(failure?.message).toMatch(
      /#\d+ move-replica api-2 at 1m\d+s: node-2 under no fault \(grace 0ms\)/,
    );
  });

  it('tolerates as many unprovoked actions as configured', () => {
    const count = failureOf(neverFlaps({ graceMs: 0 }), blip)?.message.match(/ under no fault/g)?.length ?? 0;

    expect(failureOf(neverFlaps({ graceMs: 0, tolerance: count }), blip)).toBeNull();
    expect(failureOf(neverFlaps({ graceMs: 0, tolerance: count - 1 }), blip)?.kind).toBe('flapping');
  });
});

describe('isDeterministic', () => {
  it('holds for a scenario run twice with one seed', () => {
    expect(failureOf(isDeterministic(), stateful('async', 'none', PRIMARY_CUT_OFF))).toBeNull();
  });
});

describe('properties work with plain fast-check', () => {
  it('fc.assert reports the property failure as the cause, with a shrunk counterexample', () => {
    const crashes = fc.constantFrom(...PRIMARY_CRASH).map((f) => stateful('async', 'lease', [f]));

    const run = () => fc.assert(fc.property(crashes, losesNoAcknowledgedWrite()), { seed: 1, numRuns: 5 });

    expect(run).toThrow(/Property failed after 1 tests/);
  });
});
