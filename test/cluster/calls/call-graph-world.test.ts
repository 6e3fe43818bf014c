import { describe, expect, it } from 'vitest';
import { buildWorld, serviceOf } from '../../support/world.ts';

/**
 * The call graph in a running world, numbers worked by hand (docs/traffic-model.md, "Calls between
 * services"). Loads are light (every queue under 30 % busy), so each M/M/c response time is its service time
 * to well within the tolerances below, and rates are exact.
 */
const EDGE = { name: 'edge', replicas: 2, capacityRps: 400, latency: '5ms' };
const API = { name: 'api', replicas: 2, capacityRps: 400, latency: '20ms' };
const DB = { name: 'db', replicas: 2, capacityRps: 1000, latency: '10ms' };

const threeTier = (apiToDb: Record<string, unknown>, faults: unknown[] = [], edgeToApi = {}) =>
  buildWorld({
    cluster: {
      nodes: { count: 6 },
      services: [
        { ...EDGE, calls: [{ service: 'api', timeout: '1s', ...edgeToApi }] },
        { ...API, calls: [{ service: 'db', perRequest: 2, timeout: '200ms', ...apiToDb }] },
        DB,
      ],
    },
    workload: [{ service: 'edge', rps: 100 }],
    faults,
  }).world;

const tenPercent = { at: '1m', kind: 'dependency-failure', from: 'api', to: 'db', errorRate: '10%' };

describe('calls between services, in a world', () => {
  it('a callee at 10 % errors, fan-out 2, no retries, no fallback: the caller fails 19 %, and so does its caller', () => {
    const world = threeTier({}, [tenPercent]);

    world.runUntil(120_000);

    // 1 - (1 - 0.1)^2 = 0.19: of edge's 100 rps, 81 are answered well at api and so at edge.
    // (db's own answers arrive after 200 ms with a probability of 3e-9, within the tolerance.)
    expect(serviceOf(world, 'api').callFailure).toBeCloseTo(0.19, 7);
    expect(serviceOf(world, 'api').goodputRps).toBeCloseTo(81, 5);
    expect(serviceOf(world, 'edge').goodputRps).toBeCloseTo(81, 5);
    expect(world.cluster.traffic.callGraphTruncations).toBe(0);
    expect(serviceOf(world, 'api').levelOk).toBe(false);
  });

  it('a fallback turns the same failures into degraded successes', () => {
    const world = threeTier({ fallback: true }, [tenPercent]);

    world.runUntil(120_000);

    // Every request is answered; 19 % of them through the fallback.
    const api = serviceOf(world, 'api');
    expect(api.goodputRps).toBeCloseTo(100, 5);
    expect(api.degradedRps).toBeCloseTo(19, 5);
    expect(serviceOf(world, 'edge').goodputRps).toBeCloseTo(100, 5);
    expect(api.levelOk).toBe(true);
  });

  it('latency adds along the call path', () => {
    const world = threeTier({});

    world.runUntil(60_000);

    // db: 10 ms. api: its own 20 ms + 2 sequential db calls x 10 ms = 40 ms. edge: 5 ms + 1 call x 40 ms = 45 ms.
    // (api has ceil(400 x 40 ms) = 16 workers at 50 rps per replica: an M/M/16 at 12.5 % waits ~1e-9 ms.)
    expect(serviceOf(world, 'db').latencyMs).toBeCloseTo(10, 3);
    expect(serviceOf(world, 'api').latencyMs).toBeCloseTo(40, 3);
    expect(serviceOf(world, 'edge').latencyMs).toBeCloseTo(45, 3);
    expect(serviceOf(world, 'api').idleCallHoldMs).toBe(20);
    expect(serviceOf(world, 'edge').idleCallHoldMs).toBe(40);
  });

  it('callee load = caller served x fan-out x attempts per call', () => {
    // 50 % of api's attempts on db abort: each call makes 1 + 0.5 + 0.25 = 1.75 attempts (3 at most), of which
    // half reach db: 100 rps x 2 calls x 1.75 x 0.5 = 175 rps. Without the fault: 100 x 2 = 200 rps.
    const healthy = threeTier({ retries: 3 });
    const failing = threeTier({ retries: 3 }, [{ ...tenPercent, errorRate: '50%' }]);

    healthy.runUntil(120_000);
    failing.runUntil(120_000);

    // (Within the propagation's load tolerance, 0.1 %: docs/traffic-model.md.)
    expect(serviceOf(healthy, 'db').offeredRps).toBeCloseTo(200, 5);
    expect(Math.abs(serviceOf(failing, 'db').offeredRps / 175 - 1)).toBeLessThan(1e-3);
    // A call fails when all 3 attempts do: 0.5^3 = 12.5 %; a request when either of its 2 calls does.
    expect(serviceOf(failing, 'api').callFailure).toBeCloseTo(1 - 0.875 ** 2, 3);
  });

  it('retries multiply across two layers: 3 attempts at each hop send the dead db 9x the users', () => {
    // db cannot answer (capacity 0 on its only node): every attempt fails. edge tries api 3 times per call,
    // so api serves 300 rps; api tries db 3 times per call: 900 attempts per second for 100 users' requests.
    // Both are sized to serve them while their workers wait on the retries: api declares 2000 rps, so 60 workers
    // of 20 ms own + 3 x 10 ms held serve 1200 rps; edge 4000 rps, 140 workers of 5 ms + 3 x 50 ms: 903 rps.
    const world = buildWorld({
      cluster: {
        nodes: { count: 3 },
        services: [
          { ...EDGE, replicas: 1, capacityRps: 4000, calls: [{ service: 'api', timeout: '1s', retries: 3 }] },
          {
            ...API,
            replicas: 1,
            capacityRps: 2000,
            calls: [{ service: 'db', timeout: '200ms', retries: 3 }],
          },
          { ...DB, replicas: 1 },
        ],
      },
      workload: [{ service: 'edge', rps: 100 }],
      faults: [{ at: '1m', kind: 'performance-degradation', target: 'replica-of:db', capacityFactor: '0%' }],
    }).world;

    world.runUntil(120_000);

    expect(serviceOf(world, 'api').offeredRps).toBeCloseTo(300, 6);
    expect(serviceOf(world, 'db').offeredRps).toBeCloseTo(900, 6);
    expect(serviceOf(world, 'edge').goodputRps).toBe(0);
    expect(world.cluster.traffic.callGraphTruncations).toBe(0);
  });

  it('a slow callee holds the caller workers: its service rate falls by Little law, and the caller saturates', () => {
    // db 10x slower (100 ms): api's worker time is 20 + 2 x 100 = 220 ms, its 16 workers serve 16 / 0.22 =
    // 72.7 rps per replica, 145 rps for both; at 200 rps offered the api saturates and its queue fills.
    const world = buildWorld({
      cluster: {
        nodes: { count: 6 },
        services: [
          { ...API, calls: [{ service: 'db', perRequest: 2, timeout: '1s' }] },
          { ...DB, replicas: 1 },
        ],
      },
      workload: [{ service: 'api', rps: 200 }],
      faults: [{ at: '1m', kind: 'performance-degradation', target: 'replica-of:db', latencyFactor: 10 }],
    }).world;

    world.runUntil(55_000);
    const before = serviceOf(world, 'api').goodputRps;
    world.runUntil(240_000);
    const api = serviceOf(world, 'api');

    expect(before).toBeCloseTo(200, 6);
    expect(api.callHoldMs).toBeGreaterThan(200);
    expect(api.servedRps).toBeLessThan(150);
    expect(api.levelOk).toBe(false);
  });

  it('an open circuit fails the calls at once: no callee load, no wait; with a fallback the caller serves degraded', () => {
    // api sized at 64 workers of 40 ms (1600 rps): held 420 ms a request, a replica still serves 152 rps.
    const world = buildWorld({
      cluster: {
        nodes: { count: 6 },
        services: [
          {
            ...API,
            capacityRps: 1600,
            concurrency: 64,
            calls: [{ service: 'db', perRequest: 2, timeout: '200ms', fallback: true }],
          },
          DB,
        ],
      },
      workload: [{ service: 'api', rps: 100 }],
      faults: [{ ...tenPercent, errorRate: '0%', latency: '2s' }],
    }).world;

    world.runUntil(120_000);
    const slow = serviceOf(world, 'api').latencyMs;
    world.cluster.setCircuit('api', 'db', true);
    world.runUntil(180_000);
    const api = serviceOf(world, 'api');

    // 2 s added on a 200 ms timeout: every call times out (2 x 200 ms held). Open: 20 ms, db unloaded.
    expect(slow).toBeCloseTo(420, 0);
    expect(api.latencyMs).toBeCloseTo(20, 3);
    expect(serviceOf(world, 'db').offeredRps).toBe(0);
    expect(api.degradedRps).toBeCloseTo(100, 9);
    expect(api.levelOk).toBe(true);
  });
});
