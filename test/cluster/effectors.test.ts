import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ActionRequest } from '../../src/cluster/actions.ts';
import { buildWorld, nodeOf, serviceOf } from '../support/world.ts';

const API = { workload: [{ service: 'api', rps: 900 }] };

const run = (world: ReturnType<typeof buildWorld>['world'], request: ActionRequest) => {
  const outcomes: ActionOutcome[] = [];
  world.effectors.execute(request, (o) => outcomes.push(o));
  return outcomes;
};

describe('effectors: actions take sim time, can fail, and cost', () => {
  it('restart-node brings a crashed node back after its boot time and its replicas back into rotation', () => {
    const { world } = buildWorld({
      ...API,
      faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }],
    });
    world.runUntil(70_000);

    const outcomes = run(world, { kind: 'restart-node', node: 'node-1' as never });
    world.runUntil(114_999);
    const stillBooting = nodeOf(world, 'node-1').state;
    world.runUntil(140_000);

    expect(stillBooting).toBe('booting');
    expect(outcomes[0]).toMatchObject({ ok: true, finishedAtMs: 115_000 });
    expect(nodeOf(world, 'node-1').state).toBe('up');
    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(900, 9);
    expect(world.outcome().faults[0]?.clearedAtMs).toBe(115_000);
  });

  it('move-replica restores capacity on another node once the new replica has started', () => {
    const { world } = buildWorld({ ...API, faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }] });
    world.runUntil(70_000);

    const outcomes = run(world, { kind: 'move-replica', replica: 'api-1' as never });
    world.runUntil(100_000);
    const api = serviceOf(world, 'api');

    expect(outcomes[0]?.ok).toBe(true);
    expect(api.replicas.map((r) => r.id)).toEqual(['api-2', 'api-3', 'api-4']);
    expect(api.replicas.find((r) => r.id === 'api-4')?.node.id).not.toBe('node-1');
    expect(api.servedRps).toBeCloseTo(900, 9);
  });

  it('fails every action with a typed transient failure when the failure rate is 100 %', () => {
    const { world } = buildWorld({
      cluster: {
        nodes: { count: 3 },
        services: [{ name: 'api', replicas: 3, capacityRps: 400 }],
        effectors: { failureRate: '100%' },
      },
      ...API,
      faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }],
    });
    world.runUntil(70_000);

    const outcomes = run(world, { kind: 'restart-node', node: 'node-1' as never });
    world.runUntil(200_000);

    expect(outcomes[0]?.ok).toBe(false);
    expect(outcomes[0]?.ok === false && outcomes[0].failure.kind).toBe('transient');
    expect(nodeOf(world, 'node-1').state).toBe('crashed');
  });

  it('refuses at once, as a typed failure, an action on an unknown target', () => {
    const { world } = buildWorld(API);

    const outcomes = run(world, { kind: 'drain-node', node: 'node-99' as never });
    world.runUntil(1);

    expect(outcomes[0]).toMatchObject({
      ok: false,
      failure: { kind: 'unknown-target', target: 'node-99' },
      finishedAtMs: 0,
    });
  });

  it('drain-node takes a slow node out of rotation and the rest carry the load', () => {
    const { world } = buildWorld({
      ...API,
      faults: [
        {
          at: '60s',
          kind: 'performance-degradation',
          target: 'node-1',
          capacityFactor: '50%',
          latencyFactor: 3,
        },
      ],
    });
    world.runUntil(70_000);

    run(world, { kind: 'drain-node', node: 'node-1' as never });
    world.runUntil(80_000);

    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(800, 9);
    expect(world.sensors.nodeFlags('node-1' as never)?.drained).toBe(true);
  });

  it('raise-limit fixes a full disk', () => {
    const { world } = buildWorld({
      ...API,
      faults: [{ at: '60s', kind: 'resource-exhaustion', target: 'node-1', resource: 'disk', level: '100%' }],
    });
    world.runUntil(70_000);

    run(world, { kind: 'raise-limit', node: 'node-1' as never, resource: 'disk' });
    world.runUntil(80_000);

    expect(serviceOf(world, 'api').servedRps).toBeCloseTo(900, 9);
  });

  it('keeps a ledger of every action with its cost and outcome', () => {
    const { world } = buildWorld(API);

    run(world, { kind: 'cordon-node', node: 'node-2' as never });
    run(world, { kind: 'scale-out', service: 'api' as never, count: 2 });
    world.runUntil(60_000);

    expect(world.effectors.ledger.map((a) => [a.request.kind, a.cost, a.ok])).toEqual([
      ['cordon-node', 0.5, true],
      ['scale-out', 8, true],
    ]);
    expect(serviceOf(world, 'api').replicas.filter((r) => r.node.id === 'node-2')).toHaveLength(1);
  });
});
