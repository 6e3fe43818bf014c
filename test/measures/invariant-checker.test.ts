import { describe, expect, it } from 'vitest';
import type { ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import type { Owned, ReplicationField } from '../../src/cluster/runtime/ownership.ts';
import type { Replica } from '../../src/cluster/runtime/records.ts';
import { InvariantChecker } from '../../src/measures/invariants/invariant-checker.ts';
import type { World } from '../../src/world/world.ts';
import { buildWorld, serviceOf, traceTime } from '../support/world.ts';

// orders-1 (the primary) lands on node-4, orders-2 on node-5, orders-3 on node-6.
const orders = (replication: 'sync' | 'async', fencing: 'lease' | 'none' = 'lease') => ({
  cluster: {
    nodes: { count: 6 },
    services: [
      { name: 'api', replicas: 3, capacityRps: 400 },
      {
        name: 'orders',
        replicas: 3,
        capacityRps: 300,
        stateful: { replication, lag: '1s', lease: '10s', fencing },
      },
    ],
  },
  workload: [
    { service: 'orders', rps: 500, writeRatio: '30%' },
    { service: 'api', rps: 600 },
  ],
});

const checked = (input: Record<string, unknown>) => {
  const { world } = buildWorld(input, 1, true);
  const checker = new InvariantChecker(world.cluster.spec.loadBalancer);
  world.cluster.listen(checker);
  return { world, checker };
};

const replicaOf = (world: World, id: string): Replica => {
  const r = world.cluster.replica(id);
  if (r === undefined) throw new Error(`no replica ${id}`);
  return r;
};

const promote = (world: World, replica: string) =>
  world.effectors.execute(
    { kind: 'promote-replica', service: 'orders' as ServiceId, replica: replica as ReplicaId },
    () => {},
  );

describe('online invariant checker', () => {
  it('finds nothing in a crash the load balancer notices in time and a lossless sync failover', () => {
    const { world, checker } = checked({
      ...orders('sync'),
      faults: [{ at: '60s', kind: 'node-crash', target: 'node-1', duration: '2m' }],
    });

    world.runUntil(300_000);

    expect(checker.finish(world.kernel.nowMs)).toEqual([]);
  });

  it('names both primaries, at the instant the second started accepting writes (no fencing)', () => {
    const { world, checker } = checked({
      ...orders('sync', 'none'),
      faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-4', duration: '60s' }],
    });
    world.runUntil(62_000);

    promote(world, 'orders-2');
    world.runUntil(200_000);
    const found = checker.finish(world.kernel.nowMs);

    expect(found.map((v) => [v.invariant, v.atMs, v.service, v.replicas])).toEqual([
      [
        'two-writable-primaries',
        traceTime(world, 'cluster.split-brain', 'cluster'),
        'orders',
        ['orders-1', 'orders-2'],
      ],
    ]);
    expect(found[0]?.message).toMatch(
      /^two-writable-primaries at \d+ ms in service orders: orders-1 and orders-2/,
    );
  });

  it('names the writes lost when a sync service promotes a replica that stopped applying the log', () => {
    const { world, checker } = checked(orders('sync'));
    world.runUntil(60_000);
    const behind: Owned<Replica, ReplicationField> = replicaOf(world, 'orders-3');
    // Planted: orders-3 stops streaming with an empty log, which the model never lets a sync replica do.
    behind.streaming = false;
    behind.logPosition = 0;
    const committed = serviceOf(world, 'orders').committed;

    world.cluster.replication.promote(behind);
    const found = checker.finish(world.kernel.nowMs);

    expect(found.map((v) => [v.invariant, v.atMs, v.replicas])).toEqual([
      ['acknowledged-write-lost', 60_000, ['orders-3']],
    ]);
    expect(committed).toBeCloseTo(150 * 60, 3); // 150 writes/s for 60 s
    expect(found[0]?.lostWrites).toBeCloseTo(committed, 3);
  });

  it('names a removed replica still sent traffic, at the instant it was seen', () => {
    const { world, checker } = checked(orders('async'));
    world.runUntil(30_000);
    const r = replicaOf(world, 'api-2');
    const routedBefore = r.servedRps + r.failedRps;
    // Planted: the replica is marked removed but left in its service's rotation with its rates.
    const w: Owned<Replica, 'state'> = r;
    w.state = 'removed';

    checker.serviceUpdated(serviceOf(world, 'api'), 30_000);

    expect(routedBefore).toBeCloseTo(200, 6); // 600 rps over 3 replicas
    expect(checker.violations.map((v) => [v.invariant, v.atMs, v.replicas])).toEqual([
      ['traffic-to-removed-replica', 30_000, ['api-2']],
    ]);
  });

  it('names a dead replica still routed past the health checks (2 x 2 s), at crash + 4 s', () => {
    const { world, checker } = checked({
      ...orders('async'),
      faults: [{ at: '60s', kind: 'node-crash', target: 'node-2', duration: '5m' }],
    });
    world.runUntil(60_000);
    const r: Owned<Replica, 'lbFlipTimer'> = replicaOf(world, 'api-2');
    // Planted: the load balancer's pending flip is lost, so it keeps believing the replica healthy.
    if (r.lbFlipTimer !== null) world.kernel.cancel(r.lbFlipTimer);
    r.lbFlipTimer = null;

    world.runUntil(90_000);
    const found = checker.finish(world.kernel.nowMs);

    expect(found.map((v) => [v.invariant, v.atMs, v.replicas])).toEqual([
      ['traffic-to-dead-replica', 64_000, ['api-2']],
    ]);
  });
});
