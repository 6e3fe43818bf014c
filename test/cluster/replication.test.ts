import { describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../src/cluster/actions.ts';
import type { ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { buildWorld, serviceOf } from '../support/world.ts';

const ordersCluster = (replication: 'sync' | 'async', fencing: 'lease' | 'none' = 'lease') => ({
  nodes: { count: 6 },
  services: [
    { name: 'api', replicas: 3, capacityRps: 400 },
    {
      name: 'orders',
      replicas: 3,
      // Room for the primary's 150 writes/s on top of half the 350 reads/s when one replica is gone.
      capacityRps: 400,
      stateful: { replication, lag: '1s', lease: '10s', fencing },
    },
  ],
});
// orders-1 (primary) lands on node-4, orders-2 on node-5, orders-3 on node-6.
const WRITES = { workload: [{ service: 'orders', rps: 500, writeRatio: '30%' }] }; // 150 writes/s

const promote = (world: ReturnType<typeof buildWorld>['world'], replica?: string) => {
  const outcomes: ActionOutcome[] = [];
  world.effectors.execute(
    {
      kind: 'promote-replica',
      service: 'orders' as ServiceId,
      ...(replica === undefined ? {} : { replica: replica as ReplicaId }),
    },
    (o) => outcomes.push(o),
  );
  return outcomes;
};

describe('stateful replication and failover', () => {
  it('a failover to an async replica trailing by 1 s loses the 150 acknowledged writes it had not applied', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('async'),
      ...WRITES,
      faults: [{ at: '60s', kind: 'node-crash', target: 'primary-of:orders' }],
    });
    world.runUntil(70_000);

    const outcomes = promote(world);
    world.runUntil(120_000);

    expect(outcomes[0]?.ok && outcomes[0].lostWrites).toBeCloseTo(150, 6);
    expect(serviceOf(world, 'orders').lostWrites).toBeCloseTo(150, 6);
    expect(world.outcome().lostWrites).toBeCloseTo(150, 6);
  });

  it('a switchover from a live, reachable async primary pauses its writes, lets the replica catch up and loses none', () => {
    const { world } = buildWorld({ cluster: ordersCluster('async'), ...WRITES });
    world.runUntil(60_000);

    const outcomes = promote(world);
    world.runUntil(60_500);
    const writableDuring = serviceOf(world, 'orders').writable;
    world.runUntil(120_000);

    expect(writableDuring).toBe(false);
    expect(outcomes[0]?.ok && outcomes[0].lostWrites).toBe(0);
    expect(world.outcome().lostWrites).toBe(0);
    expect(serviceOf(world, 'orders').primary?.id).not.toBe('orders-1');
    expect(serviceOf(world, 'orders').writable).toBe(true);
  });

  it('a failover with sync replication loses no acknowledged write', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('sync'),
      ...WRITES,
      faults: [{ at: '60s', kind: 'node-crash', target: 'primary-of:orders' }],
    });
    world.runUntil(70_000);

    const outcomes = promote(world);
    world.runUntil(120_000);

    expect(outcomes[0]?.ok).toBe(true);
    expect(world.outcome().lostWrites).toBe(0);
    expect(serviceOf(world, 'orders').primary?.id).not.toBe('orders-1');
  });

  it('writes fail while the primary is down and resume after the failover', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('sync'),
      ...WRITES,
      faults: [{ at: '60s', kind: 'node-crash', target: 'node-4' }],
    });
    world.runUntil(65_000);
    const during = serviceOf(world, 'orders');
    const writableDuring = during.writable;

    promote(world);
    world.runUntil(120_000);

    expect(writableDuring).toBe(false);
    expect(serviceOf(world, 'orders').writable).toBe(true);
    expect(serviceOf(world, 'orders').servedRps).toBeCloseTo(500, 6);
  });

  it('with sync replication and every replica cut off, the primary stops acknowledging writes instead of losing them', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('sync'),
      ...WRITES,
      faults: [
        {
          at: '60s',
          kind: 'network-partition',
          groups: [
            ['node-5', 'node-6'],
            ['node-4', 'node-1', 'node-2', 'node-3'],
          ],
          duration: '5m',
        },
      ],
    });

    world.runUntil(90_000);

    expect(serviceOf(world, 'orders').writable).toBe(false);
  });

  it('lease fencing: promoting while the old primary is cut off waits out its lease, so there is never split brain', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('sync', 'lease'),
      ...WRITES,
      faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-4', duration: '5m' }],
    });
    world.runUntil(62_000);

    const outcomes = promote(world);
    world.runUntil(120_000);

    expect(outcomes[0]?.finishedAtMs).toBeGreaterThanOrEqual(70_000); // lease of 10 s from the cut at 60 s
    expect(world.outcome().splitBrainMs).toBe(0);
  });

  it('without fencing, promoting while the old primary is alive but cut off gives split brain until it is told', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('sync', 'none'),
      ...WRITES,
      faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-4', duration: '60s' }],
    });
    world.runUntil(62_000);

    promote(world);
    world.runUntil(100_000);
    const splitDuring = world.cluster.splitBrainNow;
    world.runUntil(200_000);

    expect(splitDuring).toBe(true);
    expect(world.cluster.splitBrainNow).toBe(false); // demoted when the partition healed at 120 s
    expect(world.outcome().splitBrainMs).toBeCloseTo(120_000 - 64_000, -3);
  });

  it('refuses to promote a replica the control plane cannot reach', () => {
    const { world } = buildWorld({
      cluster: ordersCluster('sync'),
      ...WRITES,
      faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-5', duration: '5m' }],
    });
    world.runUntil(61_000);

    const outcomes = promote(world, 'orders-2');
    world.runUntil(62_000);

    expect(outcomes[0]?.ok).toBe(false);
    expect(outcomes[0]?.ok === false && outcomes[0].failure.kind).toBe('precondition');
  });
});
