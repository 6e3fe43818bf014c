import { describe, expect, it } from 'vitest';
import type { ActionRequest } from '../../src/cluster/actions.ts';
import { buildWorld, serviceOf } from '../support/world.ts';

const API = { workload: [{ service: 'api', rps: 900 }] };

describe('the action ledger records the nodes each action acts on, resolved at dispatch', () => {
  it.each<[string, ActionRequest, string[]]>([
    ['a node action, its node', { kind: 'cordon-node', node: 'node-2' as never }, ['node-2']],
    [
      'a replica action, the node the replica ran on',
      { kind: 'move-replica', replica: 'api-3' as never },
      ['node-3'],
    ],
    [
      'a promotion, the node of the primary it deposes',
      { kind: 'promote-replica', service: 'orders' as never },
      ['node-4'],
    ],
    ['a service-wide action, none', { kind: 'scale-out', service: 'api' as never, count: 1 }, []],
    ['a request naming nothing that exists, none', { kind: 'restart-node', node: 'node-99' as never }, []],
  ])('%s', (_label, request, nodes) => {
    const { world } = buildWorld(API);
    world.runUntil(1_000);

    world.effectors.execute(request);
    world.runUntil(60_000);

    expect(world.effectors.ledger[0]?.nodes).toEqual(nodes);
  });
});

describe('scale-in of a stateful service', () => {
  it('removes its newest live replicas, not an older one cut off by a partition (which holds the log)', () => {
    // orders-1 (primary) on node-4, orders-2 on node-5, orders-3 on node-6; node-5 is cut off from 30 s.
    const { world } = buildWorld({
      workload: [{ service: 'orders', rps: 300, writeRatio: '30%' }],
      faults: [{ at: '30s', kind: 'network-partition', isolate: 'node-5', duration: '5m' }],
    });
    world.runUntil(1_000);
    world.effectors.execute({ kind: 'scale-out', service: 'orders' as never, count: 2 });
    world.runUntil(60_000);

    world.effectors.execute({ kind: 'scale-in', service: 'orders' as never, count: 2 });
    world.runUntil(70_000);

    expect(serviceOf(world, 'orders').replicas.map((r) => r.id)).toEqual([
      'orders-1',
      'orders-2',
      'orders-3',
    ]);
  });
});
