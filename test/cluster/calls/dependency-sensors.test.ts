import { describe, expect, it } from 'vitest';
import {
  composeCall,
  composeCaller,
  createCallOutcome,
} from '../../../src/cluster/queueing/call-composition.ts';
import { buildWorld } from '../../support/world.ts';

const INPUTS = {
  calleeFailure: 0,
  calleeLate: 0,
  calleeLatencyMs: 10,
  timeoutMs: 200,
  attempts: 1,
  faultErrorRate: 0,
  faultLatencyMs: 0,
  circuitOpen: false,
};

describe('one call edge, worked by hand', () => {
  it('two attempts at 10 % each: the call fails 1 %, makes 1.1 attempts, lasts 1.1 x 10 ms', () => {
    const o = composeCall(createCallOutcome(), { ...INPUTS, calleeFailure: 0.1, attempts: 2 });

    expect(o.callFailure).toBeCloseTo(0.01, 12);
    expect(o.attemptsPerCall).toBeCloseTo(1.1, 12);
    expect(o.callMs).toBeCloseTo(11, 12);
  });

  it('a latency past the timeout: every attempt is given up at the timeout', () => {
    const o = composeCall(createCallOutcome(), {
      ...INPUTS,
      calleeFailure: 1,
      calleeLate: 1,
      faultLatencyMs: 500,
    });

    expect(o.callFailure).toBe(1);
    expect(o.timeoutShare).toBe(1);
    expect(o.callMs).toBe(200);
  });

  it('fan-out 2 at 10 % per call: 19 % of requests fail without a fallback, 19 % are degraded with one', () => {
    const outcome = composeCall(createCallOutcome(), { ...INPUTS, calleeFailure: 0.1 });
    const comp = { failure: 0, degraded: 0, holdMs: 0 };

    composeCaller(comp, [{ perRequest: 2, fallback: false, outcome }]);
    expect(comp.failure).toBeCloseTo(0.19, 12);
    expect(comp.holdMs).toBeCloseTo(20, 12);
    composeCaller(comp, [{ perRequest: 2, fallback: true, outcome }]);
    expect(comp.failure).toBe(0);
    expect(comp.degraded).toBeCloseTo(0.19, 12);
  });
});

describe('what the mesh reports of a caller calls (ServiceScrape.dependencies)', () => {
  it('per callee: calls per second, the failing share, the call time, the circuit', () => {
    // api serves 100 rps, 2 db calls each, 10 % aborted on the way: 200 calls/s, 10 % failing, each lasting
    // 0.9 x 10 ms (an aborted attempt costs nothing).
    const { world } = buildWorld({
      cluster: {
        nodes: { count: 4 },
        services: [
          {
            name: 'api',
            replicas: 2,
            capacityRps: 400,
            calls: [{ service: 'db', perRequest: 2, timeout: '200ms' }],
          },
          { name: 'db', replicas: 2, capacityRps: 1000, latency: '10ms' },
        ],
      },
      workload: [{ service: 'api', rps: 100 }],
      faults: [{ at: '10s', kind: 'dependency-failure', from: 'api', to: 'db', errorRate: '10%' }],
    });

    world.runUntil(120_000);
    const d = world.sensors.service('api' as never)?.dependencies[0];

    expect(d?.service).toBe('db');
    expect(d?.rps).toBeCloseTo(200, 3);
    expect(d?.errorRate).toBeCloseTo(0.1, 4);
    expect(d?.latencyMs).toBeCloseTo(9, 2);
    expect(d?.circuitOpen).toBe(false);
    expect(world.sensors.service('db' as never)?.dependencies).toEqual([]);
    expect(world.sensors.calls('api' as never).map((c) => c.service)).toEqual(['db']);
    expect(world.sensors.callers('db' as never)).toEqual(['api']);
  });
});
