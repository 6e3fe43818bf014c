import { describe, expect, it } from 'vitest';
import { buildWorld, serviceOf, traceTime } from '../support/world.ts';

const API_ONLY = { workload: [{ service: 'api', rps: 900 }] };

describe('fluid model: served throughput under faults (hand-worked numbers)', () => {
  it('serves all 900 rps on 3 x 400 rps replicas when healthy', () => {
    const { world } = buildWorld(API_ONLY);

    world.runUntil(60_000);

    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(900, 9);
    expect(world.outcome().availability).toBeCloseTo(1, 12);
  });

  it('1 of 3 replicas crashed: 600 rps until the load balancer notices, then 800 rps (11.1 % degraded)', () => {
    const { world } = buildWorld(
      { ...API_ONLY, faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }] },
      1,
      true,
    );

    world.runUntil(60_001);
    const beforeLb = serviceOf(world, 'api').servedRps;
    world.runUntil(120_000);
    const api = serviceOf(world, 'api');

    expect(beforeLb).toBeCloseTo(600, 9);
    expect(api.servedRps).toBeCloseTo(800, 9);
    expect(1 - api.servedRps / api.offeredRps).toBeCloseTo(0.1111, 4);
  });

  it('integrates availability exactly across the load balancer lag', () => {
    const { world } = buildWorld(
      { ...API_ONLY, faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }] },
      1,
      true,
    );

    world.runUntil(120_000);
    const lbOutS = traceTime(world, 'lb.out', 'api-1') / 1_000;

    const expected = (60 * 900 + (lbOutS - 60) * 600 + (120 - lbOutS) * 800) / (120 * 900);
    expect(lbOutS).toBeGreaterThan(60);
    expect(lbOutS).toBeLessThanOrEqual(64);
    expect(world.outcome().availability).toBeCloseTo(expected, 12);
  });

  it('a partition isolating a node costs like a crash and heals back to 900 rps', () => {
    const { world } = buildWorld({
      ...API_ONLY,
      faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-1', duration: '60s' }],
    });

    world.runUntil(100_000);
    const during = serviceOf(world, 'api').servedRps;
    world.runUntil(200_000);

    expect(during).toBeCloseTo(800, 9);
    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(900, 9);
    expect(world.outcome().faults[0]?.clearedAtMs).toBe(120_000);
  });

  it('a CPU hog taking half a node leaves its replica 200 rps: 800 served, health checks still pass', () => {
    const { world } = buildWorld({
      ...API_ONLY,
      faults: [{ at: '60s', kind: 'resource-exhaustion', target: 'node-2', resource: 'cpu', level: '50%' }],
    });

    world.runUntil(120_000);
    const api = serviceOf(world, 'api');

    expect(api.servedRps).toBeCloseTo(800, 9);
    expect(api.replicas.every((r) => r.lbHealthy)).toBe(true);
  });

  it('a full disk is a gray failure: the replica stays in rotation and its share fails (600 served)', () => {
    const { world } = buildWorld({
      ...API_ONLY,
      faults: [{ at: '60s', kind: 'resource-exhaustion', target: 'node-3', resource: 'disk', level: '100%' }],
    });

    world.runUntil(120_000);

    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(600, 9);
  });

  it('a slow node (capacity x0.5, latency x3) serves 200 of its 300 rps share and triples its latency', () => {
    const { world } = buildWorld({
      ...API_ONLY,
      faults: [
        {
          at: '60s',
          kind: 'performance-degradation',
          target: 'node-1',
          capacityFactor: '50%',
          latencyFactor: 3,
          duration: '5m',
        },
      ],
    });

    world.runUntil(60_000);
    const healthyLatency = serviceOf(world, 'api').replicas[1]?.latencyMs ?? 0;
    world.runUntil(90_000);
    const api = serviceOf(world, 'api');
    const slow = api.replicas.find((r) => r.node.id === 'node-1');

    expect(api.servedRps).toBeCloseTo(800, 9);
    // Saturated at 200 of 200 rps: utilisation is capped at 0.99 in the latency curve.
    expect(slow?.latencyMs ?? 0).toBeGreaterThan(3 * healthyLatency);
  });

  it('a memory leak crosses the pressure bands and ends in an OOM crash at the computed time', () => {
    // 45 % in use, leaking 10 % of memory a minute: 85 % after 4 min, 95 % after 5, OOM after 5.5.
    const { world } = buildWorld(
      {
        ...API_ONLY,
        faults: [
          { at: '60s', kind: 'resource-exhaustion', target: 'node-1', resource: 'memory', leak: '10%' },
        ],
      },
      1,
      true,
    );

    world.runUntil(60_000 + 4.5 * 60_000);
    const pressured = serviceOf(world, 'api').replicas.find((r) => r.node.id === 'node-1')?.servedRps ?? -1;
    world.runUntil(60_000 + 5.2 * 60_000);
    const thrashing = serviceOf(world, 'api').replicas.find((r) => r.node.id === 'node-1')?.servedRps ?? -1;
    world.runUntil(60_000 + 6 * 60_000);

    expect(pressured).toBeCloseTo(300, 9); // 400 x 0.8 = 320 of capacity, 300 routed
    expect(thrashing).toBeCloseTo(160, 9); // 400 x 0.4
    expect(traceTime(world, 'node.oom', 'node-1')).toBe(60_000 + 330_000);
  });

  it('load shedding rejects its share at the door', () => {
    const { world } = buildWorld(API_ONLY);
    world.runUntil(10_000);

    world.effectors.execute({ kind: 'shed-load', service: 'api' as never, fraction: 0.2 });
    world.runUntil(20_000);

    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(720, 9);
  });
});
