import { describe, expect, it } from 'vitest';
import { checkMark, MARKS } from '../../src/base/marks.ts';
import type { ActionOutcome } from '../../src/cluster/actions.ts';
import type { ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { MapekConfig } from '../../src/mapek/config.ts';
import { worldWithLoop } from '../support/mapek.ts';
import { buildWorld, serviceOf } from '../support/world.ts';

/**
 * Each rare branch, reached on purpose by a test that asserts its coverage mark (src/base/marks.ts) as well
 * as its outcome: should a change route the scenario around the branch, the mark says so even where the
 * outcome alone would still pass.
 */

const ordersCluster = (replication: 'sync' | 'async') => ({
  nodes: { count: 6 },
  services: [
    { name: 'api', replicas: 3, capacityRps: 400 },
    {
      name: 'orders',
      replicas: 3,
      capacityRps: 300,
      stateful: { replication, lag: '1s', lease: '10s', fencing: 'lease' },
    },
  ],
});
// orders-1 (primary) lands on node-4, orders-2 on node-5, orders-3 on node-6.
const WRITES = { workload: [{ service: 'orders', rps: 500, writeRatio: '30%' }] };

const promote = (world: ReturnType<typeof buildWorld>['world'], replica: string) => {
  const outcomes: ActionOutcome[] = [];
  world.effectors.execute(
    { kind: 'promote-replica', service: 'orders' as ServiceId, replica: replica as ReplicaId },
    (o) => outcomes.push(o),
  );
  return outcomes;
};

describe('coverage marks', () => {
  it('a check counts only the hits after it started', () => {
    const { world } = buildWorld({ cluster: ordersCluster('async'), ...WRITES });
    world.runUntil(60_000);
    promote(world, 'orders-2');
    const check = checkMark('promotion.switchover');

    world.runUntil(70_000);

    expect(check.hit()).toBe(false);
    expect(check.count()).toBe(0);
  });

  it('every mark is described', () => {
    for (const [name, what] of Object.entries(MARKS)) expect(what.length, name).toBeGreaterThan(20);
  });
});

describe('rare branches, reached on purpose', () => {
  it('promotion abandoned on a lease: the old primary is cut off while the promotion runs', () => {
    const { world } = buildWorld({ cluster: ordersCluster('sync'), ...WRITES });
    world.runUntil(60_000);
    const abandoned = checkMark('promotion.abandoned-on-lease');

    // Dispatched while node-4 is reachable (no lease wait); cut off 500 ms later, it keeps its 10 s lease.
    const outcomes = promote(world, 'orders-2');
    world.runUntil(60_500);
    world.chaos.inject(
      {
        kind: 'network-partition',
        split: { kind: 'isolate', target: { kind: 'nodes', nodes: ['node-4'] } },
        direction: 'both',
        durationMs: 60_000,
      },
      'timeline',
    );
    world.runUntil(90_000);

    expect(abandoned.hit()).toBe(true);
    expect(outcomes[0]).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    expect(serviceOf(world, 'orders').primary?.id).toBe('orders-1');
    expect(world.outcome().splitBrainMs).toBe(0);
  });

  it('switchover: a promotion away from a live async primary pauses its writes and loses none', () => {
    const { world } = buildWorld({ cluster: ordersCluster('async'), ...WRITES });
    world.runUntil(60_000);
    const switchover = checkMark('promotion.switchover');
    const abandoned = checkMark('promotion.abandoned-on-lease');

    const outcomes = promote(world, 'orders-2');
    world.runUntil(120_000);

    expect(switchover.count()).toBe(1);
    expect(abandoned.hit()).toBe(false);
    expect(outcomes[0]).toMatchObject({ ok: true, lostWrites: 0 });
    expect(serviceOf(world, 'orders').primary?.id).toBe('orders-2');
  });

  it('a promotion away from a crashed primary is no switchover', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('async'),
      ...WRITES,
      faults: [{ at: '60s', kind: 'node-crash', target: 'node-4' }],
    });
    world.runUntil(70_000);
    const switchover = checkMark('promotion.switchover');

    promote(world, 'orders-2');
    world.runUntil(120_000);

    expect(switchover.hit()).toBe(false);
  });

  it('deferral for the lagging cloud API: a node cut off just before a cycle waits for the API', () => {
    // node-2 heartbeats at x.919 s; cut off at 58 s, its 58.919 beat never arrives. At the 60 s cycle it is
    // suspect, no peer reaches it, and the API (2 s behind) cannot yet rule out a crash: the diagnosis waits.
    const config = MapekConfig.create();
    const deferred = checkMark('analysis.deferred-for-cloud-api');
    const { world, loop } = worldWithLoop(
      { faults: [{ at: '58s', kind: 'network-partition', isolate: 'node-2', duration: '5m' }] },
      config,
    );

    loop.runContinuous(80_000);

    expect(deferred.hit()).toBe(true);
    expect(world.outcome().measures[0]?.diagnosis).toBe('NetworkPartition');
  });
});
