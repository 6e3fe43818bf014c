import { describe, expect, it } from 'vitest';
import { buildWorld, serviceOf } from '../support/world.ts';

/**
 * The queueing model wired into a world (issue 13's must-show numbers, on a running cluster rather than on the
 * functions): one 400 rps, 20 ms replica has 8 workers (Little's law), mu = 400 rps. Hand-worked numbers in
 * docs/traffic-model.md.
 */
const oneReplica = (
  service: Record<string, unknown>,
  workload: Record<string, unknown>,
  faults: unknown[] = [],
) =>
  buildWorld({
    cluster: {
      nodes: { count: 2 },
      services: [{ name: 'api', replicas: 1, capacityRps: 400, latency: '20ms', ...service }],
    },
    workload: [{ service: 'api', ...workload }],
    faults,
  }).world;

const spike = (at: string, factor: number, duration: string) => ({
  at,
  kind: 'load-spike',
  services: ['api'],
  factor,
  duration,
});

describe('a replica as an M/M/c queue, in a world', () => {
  it('reports the Erlang C mean and percentiles at 80 % load, within 1 %', () => {
    const world = oneReplica({}, { rps: 320 });

    world.runUntil(10_000);

    // c = 8, lambda = 320/s, mu = 50/s per worker: C = 0.45764, mean 25.72 ms, p50 19.73 ms, p99 103.04 ms.
    const api = serviceOf(world, 'api');
    expect(api.latencyMs).toBeGreaterThan(25.72 * 0.99);
    expect(api.latencyMs).toBeLessThan(25.72 * 1.01);
    expect(api.latencyP50Ms).toBeGreaterThan(19.73 * 0.99);
    expect(api.latencyP50Ms).toBeLessThan(19.73 * 1.01);
    expect(api.latencyP99Ms).toBeGreaterThan(103.04 * 0.99);
    expect(api.latencyP99Ms).toBeLessThan(103.04 * 1.01);
  });

  it('queues (lambda - mu) x 120 s after 120 s at 1.2x, and drains it in backlog / (mu - lambda)', () => {
    // 320 rps, a 1.5x spike (480 rps) for 120 s from 60 s: 80 rps over capacity.
    const world = oneReplica({ queueLimit: 100_000 }, { rps: 320 }, [spike('60s', 1.5, '120s')]);

    world.runUntil(180_000);
    const afterSpike = world.cluster.traffic.serviceBacklogNow(serviceOf(world, 'api'));
    // Back at 320 rps, 80 rps under capacity: 9,600 / 80 = 120 s to drain.
    world.runUntil(180_000 + 119_000);
    const justBefore = world.cluster.traffic.serviceBacklogNow(serviceOf(world, 'api'));
    world.runUntil(180_000 + 120_000);
    const drained = world.cluster.traffic.serviceBacklogNow(serviceOf(world, 'api'));

    expect(afterSpike).toBeCloseTo(9_600, 6);
    expect(justBefore).toBeCloseTo(80, 6);
    expect(drained).toBe(0);
    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(320, 9);
  });

  it('a full queue rejects the excess', () => {
    const world = oneReplica({ queueLimit: 1_000 }, { rps: 320 }, [spike('10s', 1.5, '60s')]);

    // Full after 1,000 / 80 = 12.5 s.
    world.runUntil(10_000 + 12_000);
    const before = serviceOf(world, 'api').rejectedRps;
    world.runUntil(10_000 + 13_000);

    expect(before).toBe(0);
    expect(serviceOf(world, 'api').rejectedRps).toBeCloseTo(80, 9);
    expect(serviceOf(world, 'api').backlog).toBe(1_000);
  });

  it('a timeout cuts goodput while the server keeps serving: once the backlog holds more than mu x timeout', () => {
    // 2 s timeout: every queued request is late past a backlog of 400 x 2 = 800, reached 10 s into the spike.
    const world = oneReplica({ queueLimit: 100_000 }, { rps: 320, timeout: '2s' }, [
      spike('60s', 1.5, '60s'),
    ]);

    world.runUntil(65_000);
    const early = { ...serviceOf(world, 'api') };
    world.runUntil(71_000);
    const late = serviceOf(world, 'api');

    expect(early.servedRps).toBeCloseTo(400, 9);
    expect(early.goodputRps).toBeGreaterThan(390);
    expect(late.servedRps).toBeCloseTo(400, 9);
    expect(late.goodputRps).toBeLessThan(1);
    expect(late.timeoutRps).toBeGreaterThan(399);
  });
});

describe('clients that retry, in a world', () => {
  // Two replicas; node-2's disk is full, so its replica fails every request while its health checks pass
  // (it stays in rotation): every attempt fails with probability exactly 1/2.
  const grayFailure = (workload: Record<string, unknown>) =>
    buildWorld({
      cluster: {
        nodes: { count: 2 },
        services: [{ name: 'api', replicas: 2, capacityRps: 400, latency: '20ms' }],
      },
      workload: [{ service: 'api', rps: 100, ...workload }],
      faults: [{ at: '10s', kind: 'resource-exhaustion', resource: 'disk', level: '99%', target: 'node-2' }],
    }).world;

  it('amplify the load by the geometric sum: 3 attempts at p = 1/2 make 1 + 1/2 + 1/4 = 1.75 attempts', () => {
    const world = grayFailure({ retries: 3 });

    world.runUntil(20_000);

    const api = serviceOf(world, 'api');
    expect(api.originalRps).toBeCloseTo(100, 9);
    expect(api.retryRps).toBeCloseTo(75, 6);
    // Each request succeeds at most once: goodput = originals x (1 - p^3).
    expect(api.goodputRps).toBeCloseTo(87.5, 6);
  });

  it('with a retry budget, retries are at most ratio x originals + minRetriesPerSecond', () => {
    const world = grayFailure({ retries: 3, retryBudget: { ratio: '20%', minRetriesPerSecond: 10 } });

    world.runUntil(20_000);

    expect(serviceOf(world, 'api').retryRps).toBeCloseTo(30, 9);
  });

  it('an operator budget (setRetryBudget) bounds them at once, and null restores the scenario policy', () => {
    const world = grayFailure({ retries: 3 });
    world.runUntil(20_000);
    const api = serviceOf(world, 'api');

    world.cluster.setRetryBudget(api, { ratio: 0.1, minRetriesPerSecond: 0 });
    const budgeted = api.retryRps;
    world.cluster.setRetryBudget(api, null);

    expect(budgeted).toBeCloseTo(10, 9);
    expect(api.retryRps).toBeCloseTo(75, 6);
  });
});
