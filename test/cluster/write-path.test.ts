import { describe, expect, it } from 'vitest';
import { buildWorld, serviceOf } from '../support/world.ts';

/** One stateful service on two nodes; `ratio` of its offered load are writes. */
const db = (replication: 'sync' | 'async', rps: number, ratio: string, rtt = '5ms') => ({
  cluster: {
    nodes: { count: 2 },
    services: [{ name: 'db', replicas: 2, capacityRps: 200, stateful: { replication, rtt } }],
    effectors: { failureRate: '0%' },
  },
  workload: [{ service: 'db', rps, writeRatio: ratio }],
});

describe("writes take the primary's capacity and wait for replication (issue 14 item 3)", () => {
  it('a write-heavy primary saturates at its capacity: 300 writes/s on a 200 rps primary serve 200', () => {
    // Arrange: every request is a write, so all 300/s go to db-1's queue (mu = 200/s): its 1,024-request
    // backlog fills at 100/s in 10.24 s, then the queue serves mu and rejects the other 100/s. The replica
    // takes no reads and serves nothing.
    const { world } = buildWorld(db('async', 300, '100%'));

    // Act
    world.runUntil(60_000);

    // Assert
    const s = serviceOf(world, 'db');
    const [primary, follower] = s.replicas;
    expect(s.writeRps).toBe(300);
    expect(s.writeAckRps).toBeCloseTo(200, 6);
    expect(primary?.servedRps).toBeCloseTo(200, 6);
    expect(primary?.failedRps).toBeCloseTo(100, 6);
    expect(follower?.servedRps).toBe(0);
    expect(s.servedRps).toBeCloseTo(200, 6);
  });

  it("only acknowledged writes reach the log: it grows at the primary's 200/s, not the 300/s offered", () => {
    // Arrange: as above; from 20 s (backlog full since 10.24 s) to 50 s the log grows by 200 x 30 = 6,000.
    const { world } = buildWorld(db('async', 300, '100%'));
    world.runUntil(20_000);
    world.cluster.traffic.fold(serviceOf(world, 'db'));
    const before = serviceOf(world, 'db').committed;

    // Act
    world.runUntil(50_000);
    world.cluster.traffic.fold(serviceOf(world, 'db'));

    // Assert
    expect(serviceOf(world, 'db').committed - before).toBeCloseTo(6_000, 6);
  });

  it("reads share the primary's workers with the writes", () => {
    // Arrange: 250 rps, a fifth writes: 50 writes/s to db-1 and 200 reads/s split over both replicas, so db-1
    // serves 100 + 50 = 150/s at utilisation 150 / 200 = 0.75 and db-2 100/s at 0.5.
    const { world } = buildWorld(db('async', 250, '20%'));

    // Act
    world.runUntil(5_000);

    // Assert
    const [primary, follower] = serviceOf(world, 'db').replicas;
    expect(primary?.servedRps).toBeCloseTo(150, 6);
    expect(primary?.utilisation).toBeCloseTo(0.75, 6);
    expect(follower?.servedRps).toBeCloseTo(100, 6);
    expect(follower?.utilisation).toBeCloseTo(0.5, 6);
  });

  it('under sync replication a write is acknowledged one round trip after the primary served it', () => {
    // Arrange: the same light write-only load (50/s on a 200 rps primary) under async and under sync with a
    // 5 ms round trip: the queue is the same, so every write's response time is 5 ms longer under sync, and
    // so are the mean and each percentile.
    const run = (mode: 'sync' | 'async') => {
      const { world } = buildWorld(db(mode, 50, '100%'));
      world.runUntil(10_000);
      return serviceOf(world, 'db');
    };

    // Act
    const async = run('async');
    const sync = run('sync');

    // Assert
    expect(sync.writeAckRps).toBeCloseTo(50, 9);
    expect(sync.latencyMs - async.latencyMs).toBeCloseTo(5, 9);
    expect(sync.latencyP50Ms - async.latencyP50Ms).toBeCloseTo(5, 6);
    expect(sync.latencyP99Ms - async.latencyP99Ms).toBeCloseTo(5, 6);
  });

  it('reads do not wait for replication: a read-only load has the same latency under sync and async', () => {
    // Arrange
    const run = (mode: 'sync' | 'async') => {
      const { world } = buildWorld(db(mode, 100, '0%'));
      world.runUntil(10_000);
      return serviceOf(world, 'db');
    };

    // Act
    const async = run('async');
    const sync = run('sync');

    // Assert
    expect(sync.latencyMs).toBeCloseTo(async.latencyMs, 9);
    expect(sync.latencyP99Ms).toBeCloseTo(async.latencyP99Ms, 9);
  });
});
