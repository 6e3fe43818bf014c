import { describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../src/cluster/actions.ts';
import type { ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { formatIssue } from '../../src/scenario/load-error.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import type { World } from '../../src/world/world.ts';
import { buildWorld, serviceOf, traceTime } from '../support/world.ts';

// orders-1 (primary) lands on node-4, orders-2 on node-5, orders-3 on node-6; 150 writes/s acknowledged.
// 400 rps a replica: room for the primary's writes on top of half the 350 reads/s while one replica is out.
const orders = (replication: unknown, more: Record<string, unknown> = {}) => ({
  nodes: { count: 6 },
  services: [
    { name: 'api', replicas: 3, capacityRps: 400 },
    { name: 'orders', replicas: 3, capacityRps: 400, stateful: { replication, lag: '1s', ...more } },
  ],
  effectors: { failureRate: '0%' },
});
const WRITES = [{ service: 'orders', rps: 500, writeRatio: '30%' }];

/** The trace line of `kind` from `source`, parsed (needs keepTrace). */
const traceLine = (world: World, kind: string, source: string): Record<string, unknown> | undefined => {
  for (const line of world.trace.recordedLines) {
    const e = JSON.parse(line) as Record<string, unknown>;
    if (e.kind === kind && e.source === source) return e;
  }
  return undefined;
};

const execute = (world: World, request: Parameters<World['effectors']['execute']>[0]) => {
  const outcomes: ActionOutcome[] = [];
  world.effectors.execute(request, (o) => outcomes.push(o));
  return outcomes;
};

describe('replication takes time (issue 14)', () => {
  it('a replica cut off for 10 min catches up at catchUpRate less the write rate after the heal', () => {
    // Arrange: frozen at 60 s holding 150 x 60 - 150 (the 1 s async lag) = 8,850 writes; at the heal at 660 s
    // the log holds 99,000 and a replica in sync 98,850: 90,000 behind, closing at 10,000 - 150 = 9,850 a
    // second, so in sync after 9.137 s (the timer rounds up to the ms): at 669,138 ms.
    const { world } = buildWorld(
      {
        cluster: orders('async'),
        workload: WRITES,
        faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-6', duration: '10m' }],
      },
      1,
      true,
    );

    // Act
    world.runUntil(700_000);

    // Assert
    const behind = traceLine(world, 'replica.catching-up', 'orders-3');
    expect(behind?.t).toBe(660_000);
    expect(behind?.behind).toBe(90_000);
    expect(traceTime(world, 'replica.caught-up', 'orders-3')).toBe(669_138);
  });

  it('a failover to a replica still catching up loses what it had not applied when its primary died', () => {
    // Arrange: as above, then the primary crashes 2 s after the heal and orders-3 is promoted by name. At the
    // crash it holds 8,850 + 2 x 10,000 = 28,850 of the 99,300 acknowledged writes, and nothing more can reach
    // it: the rest of the log died with the primary.
    const { world } = buildWorld({
      cluster: orders('async'),
      workload: WRITES,
      faults: [
        { at: '60s', kind: 'network-partition', isolate: 'node-6', duration: '10m' },
        { at: '662s', kind: 'node-crash', target: 'node-4' },
      ],
    });
    world.runUntil(662_000);
    const outcomes = execute(world, {
      kind: 'promote-replica',
      service: 'orders' as ServiceId,
      replica: 'orders-3' as ReplicaId,
    });

    // Act
    world.runUntil(700_000);

    // Assert
    expect(outcomes[0]?.ok).toBe(true);
    expect(serviceOf(world, 'orders').lostWrites).toBeCloseTo(99_300 - 28_850, 6);
  });

  it('a new replica copies the snapshot before it runs, then catches up the writes made meanwhile', () => {
    // Arrange: 1 GB at 100 MB/s is a 10 s copy on top of the 8 s start. Joined at 60 s holding the 9,000 writes
    // of its snapshot; running at 78 s, when a replica in sync holds 150 x 78 - 150 = 11,550: 2,550 behind,
    // 259 ms at 9,850 a second (rounded up).
    const { world } = buildWorld({ cluster: orders('async'), workload: WRITES }, 1, true);
    world.runUntil(60_000);
    const scaled = execute(world, { kind: 'scale-out', service: 'orders' as ServiceId, count: 1 });
    world.runUntil(70_000);
    const early = execute(world, {
      kind: 'promote-replica',
      service: 'orders' as ServiceId,
      replica: 'orders-4' as ReplicaId,
    });

    // Act
    world.runUntil(100_000);

    // Assert
    expect(scaled[0]?.ok).toBe(true);
    expect(early[0]?.ok).toBe(false);
    expect(traceTime(world, 'replica.running', 'orders-4')).toBe(78_000);
    expect(traceLine(world, 'replica.catching-up', 'orders-4')?.behind).toBe(2_550);
    expect(traceTime(world, 'replica.caught-up', 'orders-4')).toBe(78_259);
  });

  it('under sync replication a primary whose only replica is still catching up refuses writes until it is in sync', () => {
    // Arrange: orders-3 cut off 60 s to 660 s falls 90,000 writes behind (sync: no lag); orders-2 carries the
    // writes until node-5 crashes at 661 s. Then nothing is acknowledged, so orders-3 closes its remaining
    // 90,000 - 9,850 = 80,150 at the full 10,000 a second: in sync at 669,015 ms.
    const { world } = buildWorld(
      {
        cluster: orders('sync'),
        workload: WRITES,
        faults: [
          { at: '60s', kind: 'network-partition', isolate: 'node-6', duration: '10m' },
          { at: '661s', kind: 'node-crash', target: 'node-5' },
        ],
      },
      1,
      true,
    );

    // Act
    world.runUntil(665_000);
    const during = serviceOf(world, 'orders').writable;
    world.runUntil(700_000);

    // Assert
    expect(during).toBe(false);
    expect(traceTime(world, 'replica.caught-up', 'orders-3')).toBe(669_015);
    expect(serviceOf(world, 'orders').writable).toBe(true);
    expect(world.outcome().lostWrites).toBe(0);
  });
});

describe('quorum replication (issue 14)', () => {
  // orders-1 to orders-5 on node-1 to node-5; acks 3 (a majority) by default.
  const quorum = {
    nodes: { count: 5 },
    services: [
      { name: 'orders', replicas: 5, capacityRps: 300, stateful: { replication: { mode: 'quorum' } } },
    ],
    effectors: { failureRate: '0%' },
  };
  const minorityWithControl = {
    at: '60s',
    kind: 'network-partition',
    groups: [
      ['node-1', 'node-2', 'control'],
      ['node-3', 'node-4', 'node-5'],
    ],
    duration: '2m',
  };

  it('refuses to promote on the minority side, and the minority primary stops acknowledging writes', () => {
    // Arrange
    const { world } = buildWorld({ cluster: quorum, workload: WRITES, faults: [minorityWithControl] });
    world.runUntil(70_000);

    // Act
    const outcomes = execute(world, {
      kind: 'promote-replica',
      service: 'orders' as ServiceId,
      replica: 'orders-2' as ReplicaId,
    });
    const writableCutOff = serviceOf(world, 'orders').writable;
    world.runUntil(200_000);

    // Assert
    expect(outcomes[0]?.ok === false && outcomes[0].failure.kind).toBe('precondition');
    expect(writableCutOff).toBe(false);
    expect(serviceOf(world, 'orders').primary?.id).toBe('orders-1');
    expect(serviceOf(world, 'orders').writable).toBe(true);
    expect(world.outcome().lostWrites).toBe(0);
  });

  it('promotes on the majority side and loses no acknowledged write', () => {
    // Arrange: the primary's side is the minority, the control plane with the majority.
    const { world } = buildWorld({
      cluster: quorum,
      workload: WRITES,
      faults: [
        {
          ...minorityWithControl,
          groups: [
            ['node-1', 'node-2'],
            ['node-3', 'node-4', 'node-5', 'control'],
          ],
        },
      ],
    });
    world.runUntil(70_000);

    // Act
    const outcomes = execute(world, { kind: 'promote-replica', service: 'orders' as ServiceId });
    world.runUntil(100_000);

    // Assert
    expect(outcomes[0]?.ok).toBe(true);
    expect(['orders-3', 'orders-4', 'orders-5']).toContain(serviceOf(world, 'orders').primary?.id);
    expect(world.outcome().lostWrites).toBe(0);
  });

  it('a quorum larger than the service is refused with its line and field', () => {
    const text = `name: q
duration: 1m
cluster:
  nodes: { count: 3 }
  services:
    - name: orders
      replicas: 3
      capacityRps: 300
      stateful: { replication: { mode: quorum, acks: 4 } }
`;

    const r = loadScenarioText(text, 'q.yaml');

    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.error.issues.map(formatIssue)).toEqual([
      'q.yaml:9:54: cluster.services[0].stateful.replication.acks: acks 4 is more copies than "orders" has replicas (3): no write could ever be acknowledged',
    ]);
  });
});
