import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/base/duration.ts';
import { POLICY_NAMES } from '../../src/controllers/controller-spec.ts';
import { arbitraries, runCase } from '../../src/testing/index.ts';
import { faultsOf, type ScenarioInput, withFaults } from '../../src/testing/scenario-input.ts';
import { fixture, propertyParams, propertyTimeout } from './support.ts';

// Random schedules of up to three faults with effector failures off (fixtures/oracle-bound.yaml). Faults are
// paired across policies by id: ids follow injection order and chaos draws from its own seeded stream, so
// f1 under the oracle is f1 under noop, provided the targets do not depend on what the policy did. Targets
// by role do (`replica-of:api` resolves when the fault lands, after the oracle's same-ms moves), so the
// schedules name their nodes only; the test checks the pairing (kind, time, nodes) before comparing.
const base = fixture('oracle-bound.yaml');
const { input } = base;
const budget = { ...base.budget, statefulServices: [], replicatedServices: [] };
const RUNS = 4;
const SEED = 1;
/**
 * One health-check interval of the fixture (the model's default, 2 s). Every remedy of a lost replica ends in
 * the load balancer admitting a replica (a replacement, or one back from a partition) after `healthyThreshold`
 * passed checks, the first at the replica's own phase within an interval: a phase the load balancer sets and
 * the oracle neither knows nor chooses. Another policy's replica may happen to be admitted up to one interval
 * sooner for the same work, so the oracle is a bound to within one interval, not to the millisecond.
 */
const TOLERANCE_MS = 2_000;
/**
 * Quiet time after a fault's end before the next may land, for the property over isolated faults: a crash's
 * reboot (45 s), a replica start (8 s), the health checks (4 s), and a policy's own late repairs of it (a
 * reboot of a node that was only cut off) all fall inside it.
 */
const QUIET_MS = 120_000;

const ms = (text: unknown): number => {
  const r = typeof text === 'string' ? parseDuration(text) : undefined;
  return r?.ok === true ? r.value : 0;
};

/** Whether each fault lands after the previous one has ended and the cluster has had `QUIET_MS` to settle. */
const isolated = (scenario: ScenarioInput): boolean => {
  let freeAt = 0;
  for (const f of faultsOf(scenario)) {
    if (ms(f.at) < freeAt) return false;
    freeAt = ms(f.at) + ms(f.duration) + QUIET_MS;
  }
  return true;
};

/** A fault's MTTR, never-recovered as infinity so that it loses to any finite time. */
const mttrsOf = (scenario: ScenarioInput, policy: (typeof POLICY_NAMES)[number]) => {
  const r = runCase(scenario, { policy, seed: SEED });
  return r.outcome.measures.map((m, i) => ({
    fault: `${m.id} ${r.outcome.faults[i]?.kind}@${r.outcome.faults[i]?.injectedAtMs} on ${r.outcome.faults[i]?.targets.join(',')}`,
    mttrMs: m.mttrMs ?? Number.POSITIVE_INFINITY,
  }));
};

/** Every fault the oracle recovers later than `policy` does, as readable lines (none when it is the bound). */
const beatenBy = (scenario: ScenarioInput, policy: (typeof POLICY_NAMES)[number]): string[] => {
  const oracle = mttrsOf(scenario, 'oracle');
  const other = mttrsOf(scenario, policy);
  expect(other.map((o) => o.fault)).toEqual(oracle.map((o) => o.fault));
  return oracle.flatMap((o, i) => {
    const theirs = other[i]?.mttrMs ?? Number.POSITIVE_INFINITY;
    return o.mttrMs > theirs + TOLERANCE_MS
      ? [`${policy} beat the oracle on ${o.fault}: ${o.mttrMs} > ${theirs} + ${TOLERANCE_MS}`]
      : [];
  });
};

// The oracle is meant as a bound on isolated faults: one at a time, each landing once the cluster has settled
// from the last under every policy (session 21: seeds 1-15 pass 30 runs each, once the oracle reads the
// timeline ahead for the layout it leaves, docs/policies.md). It is not on overlapping ones, and cannot be by a plan per fault: each policy's
// cluster has a history of its own when the second fault lands, and a policy whose repair of the first is slow
// (a reboot instead of a move) may have capacity coming back in the middle of the second, which then looks
// shorter under it than any remedy started when the second lands can make it. So the property runs over
// isolated schedules, on demand (MAPEK_ORACLE_BOUND=1, with MAPEK_PROPERTY_RUNS / MAPEK_PROPERTY_SEED), and the
// shrunk cases it found run below as regression tests.
describe.skipIf(process.env.MAPEK_ORACLE_BOUND === undefined)('the oracle is a bound (issue 11)', () => {
  test.prop(
    [arbitraries.scenarioWithFaults(input, { ...budget, minFaults: 1, maxFaults: 3 })],
    propertyParams(RUNS),
  )(
    'recovers every isolated fault no later than any other policy (within one health-check interval), with effector failures off',
    (scenario) => {
      // MAPEK_ORACLE_OVERLAP=1 lets overlapping schedules through too, to explore the class pinned below.
      fc.pre(process.env.MAPEK_ORACLE_OVERLAP !== undefined || isolated(scenario));
      for (const policy of POLICY_NAMES.filter((p) => p !== 'oracle')) {
        expect(beatenBy(scenario, policy)).toEqual([]);
      }
    },
    propertyTimeout(RUNS, 10_000),
  );
});

describe('the oracle bound: known cases', () => {
  // Property seed 2 (isolated faults), shrunk: an 80 % CPU hog for 11 s on node-1, which holds the orders
  // primary. The oracle promoted away and then scaled out and in, and scale-in deletes dead replicas first: the
  // deposed orders-1 was alive, so a healthy replica went and orders-1 kept serving reads slowly until the
  // node's reboot killed it (MTTR 13.4 s against mapek's 8.3 s). It now moves the deposed primary off once the
  // promotion is done: back in the promotion's 2 s, 3.1 s under the queueing model (the backlog the hog left
  // on orders-1 drains after it), and 5.3 s since writes take the primary's workers: until the promotion ends at
  // 62 s the hogged orders-1 (80 rps left of 400) queues its 120 writes/s besides its reads, 267 requests that
  // drain at 80/s (62 s + 267 / 80 = 65.3 s).
  it('a hogged primary is promoted away and its deposed instance moved off: MTTR is the promotion', () => {
    const scenario = withFaults(input, [
      {
        at: '1m',
        kind: 'resource-exhaustion',
        target: 'node-1',
        resource: 'cpu',
        level: '80%',
        duration: '11s',
      },
    ]);

    expect(mttrsOf(scenario, 'oracle').map((m) => m.mttrMs)).toEqual([5_334]);
    for (const policy of ['mapek', 'noop', 'restart-always', 'kubernetes'] as const) {
      expect(beatenBy(scenario, policy)).toEqual([]);
    }
  });

  // Property seed 1 (isolated faults), shrunk: node-6 cut off for 10 s at 1m, node-4 crashes at 3m10s. The oracle
  // moved node-6's replicas onto node-4 and node-5 and left them there, so the crash took two api replicas where
  // under noop it took one (noop's MTTR 3.7 s, the health checks; the oracle's 11.3 s, a replacement). Once a
  // node is reopened the oracle moves its replicas back, make-before-break (`rebalanceOnto`).
  it('a node reopened after its fault gets its replicas back, so a later crash costs one replica a service', () => {
    const scenario = withFaults(input, [
      { at: '1m', kind: 'network-partition', isolate: 'node-6', duration: '10s' },
      { at: '3m10s', kind: 'node-crash', target: 'node-4', duration: '10s' },
    ]);

    expect(mttrsOf(scenario, 'oracle').map((m) => m.mttrMs)).toEqual([0, 0]);
    expect(beatenBy(scenario, 'noop')).toEqual([]);
  });

  // Property seed 1 (isolated faults, after the two fixes above), shrunk: the primary-relocation class. An 80 %
  // slow-down of node-1 (the orders primary's node) for 11 s makes the oracle promote orders-2 on node-2; node-2
  // crashes at 3m11s. Under the oracle that was a lost primary (a promotion that waits out its 10 s lease); under
  // noop, whose primary never moved, a lost replica (3.6 s of health checks). The oracle now hands the role back
  // once node-1 reopens (src/policies/oracle/primary-homes.ts: a replica there, in sync, promoted with no pause).
  it('a fault that moved the primary: the role goes home, so a later crash of the other node costs a replica', () => {
    const scenario = withFaults(input, [
      {
        at: '1m',
        kind: 'performance-degradation',
        target: 'node-1',
        latencyFactor: 2,
        capacityFactor: '80%',
        duration: '11s',
      },
      { at: '3m11s', kind: 'node-crash', target: 'node-2', duration: '10s' },
    ]);

    expect(beatenBy(scenario, 'noop')).toEqual([]);
  });

  // Property seed 12 (isolated faults), shrunk: the layout class. node-1, the orders primary's home, slowed for
  // 10 s at 1m, then cut off for 10 s at 3m10s. The oracle handed the role back home once node-1 reopened, so
  // the partition cost it a failover (10 s, the lease); mapek had left its primary elsewhere (0 s). The oracle
  // knows the timeline: it no longer hands a role back to a node a fault still to come hits first.
  it('a primary is not handed back to a home a later fault will cut off first', () => {
    const scenario = withFaults(input, [
      {
        at: '1m',
        kind: 'performance-degradation',
        target: 'node-1',
        latencyFactor: 2,
        capacityFactor: '80%',
        duration: '10s',
      },
      { at: '3m10s', kind: 'network-partition', isolate: 'node-1', duration: '10s' },
    ]);

    expect(mttrsOf(scenario, 'oracle')[1]?.mttrMs).toBe(0);
    for (const policy of ['mapek', 'noop', 'restart-always', 'kubernetes'] as const) {
      expect(beatenBy(scenario, policy)).toEqual([]);
    }
  });

  // Property seed 1, shrunk, once the primary went home: node-3 cut off for 10 s at 1m, its disk full for 10 s at
  // 3m10s. The oracle had given node-3 its replicas back, and grew the disk in place (5 s of failed requests);
  // mapek had left them elsewhere and met none. The oracle now drains the node at once (1 s) while the disk
  // grows, and undrains it after.
  it('a full disk on a node with its replicas back is drained at once while it grows', () => {
    const scenario = withFaults(input, [
      { at: '1m', kind: 'network-partition', isolate: 'node-3', duration: '10s' },
      {
        at: '3m10s',
        kind: 'resource-exhaustion',
        target: 'node-3',
        resource: 'disk',
        level: '99%',
        duration: '10s',
      },
    ]);

    for (const policy of ['mapek', 'noop', 'restart-always', 'kubernetes'] as const) {
      expect(beatenBy(scenario, policy)).toEqual([]);
    }
  });

  // Seed 1, shrunk, before the oracle waited out short faults. node-6 crashes for 10 s at 1m; the oracle moves
  // its replicas away (MTTR 0: there is headroom), restart-always reboots node-6 and its replicas only come back
  // there at 2m1.5s. node-5 is cut off for 10 s at 1m51s: the oracle moves its three replicas away (in rotation at
  // 2m2.001s: 8 s start, 3 s of checks); restart-always's level is back at 2m1.515s, when node-6's late replicas
  // join. Oracle 11,001 ms against 10,515 ms: the overlapping class, within one interval here.
  it('a 10 s partition after a crash: the oracle is within one health-check interval of restart-always', () => {
    const scenario = withFaults(input, [
      { at: '1m', kind: 'node-crash', target: 'node-6', duration: '10s' },
      { at: '1m51s', kind: 'network-partition', isolate: 'node-5', duration: '10s' },
    ]);

    expect(beatenBy(scenario, 'restart-always')).toEqual([]);
  });

  // Property seed 3, shrunk: the overlapping class past the tolerance. node-6 is cut off for 10 s at 1m, node-5
  // for 10 s at 1m5s. The oracle moves node-6's replicas (some onto node-5) and then node-5's; noop does
  // nothing, and node-6's own replicas rejoin at 1m13.5s, once its partition heals, which is enough capacity
  // for the healthy level while node-5 is still cut off. noop's f2 MTTR is 8,515 ms, below the 10 s that a
  // replacement started at 1m5s needs; the oracle's was 11,001 ms. Under the queueing model (issue 13) the oracle's
  // f2 is 6.4 s against noop's 8.5 s: queues carry the moved replicas' share while they start, so this schedule
  // is no longer a counterexample; the class itself (a policy's own history returning capacity mid-fault) stays.
  it('two overlapping partitions: no longer a counterexample under the queueing model', () => {
    const scenario = withFaults(input, [
      { at: '1m', kind: 'network-partition', isolate: 'node-6', duration: '10s' },
      { at: '1m5s', kind: 'network-partition', isolate: 'node-5', duration: '10s' },
    ]);

    expect(beatenBy(scenario, 'noop')).toEqual([]);
  });
});
