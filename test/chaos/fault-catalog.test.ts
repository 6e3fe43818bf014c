import { describe, expect, it } from 'vitest';
import { FAULT_CATALOG } from '../../src/chaos/fault-catalog.ts';
import { FAULT_KINDS } from '../../src/chaos/spec.ts';
import { buildWorld, nodeOf } from '../support/world.ts';

const API = { workload: [{ service: 'api', rps: 900 }] };

describe('fault catalog and ground-truth records', () => {
  it('has one row per fault kind', () => {
    expect(Object.keys(FAULT_CATALOG).sort()).toEqual([...FAULT_KINDS].sort());
  });

  it('records each fault with its resolved targets, injection and clearing times', () => {
    const { world } = buildWorld({
      ...API,
      faults: [
        { at: '1m', kind: 'node-crash', target: 'node-1', duration: '30s' },
        {
          at: '2m',
          kind: 'network-partition',
          groups: [
            ['node-5', 'node-6'],
            ['node-1', 'node-2', 'node-3'],
          ],
          duration: '45s',
        },
        {
          at: '3m',
          kind: 'resource-exhaustion',
          target: 'node-3',
          resource: 'cpu',
          level: '90%',
          duration: '1m',
        },
        {
          at: '4m',
          kind: 'performance-degradation',
          target: ['node-2', 'node-4'],
          latencyFactor: 4,
          duration: '2m',
        },
      ],
    });

    world.runUntil(20 * 60_000);
    const records = world.outcome().faults;

    expect(records.map((r) => [r.id, r.kind, r.targets, r.injectedAtMs, r.clearedAtMs])).toEqual([
      // The crash reboots by itself after 30 s; the node is up after the 45 s boot.
      ['f1', 'node-crash', ['node-1'], 60_000, 135_000],
      // Unlisted node-4 and the control plane join the larger group, so node-5 and node-6 are cut off.
      ['f2', 'network-partition', ['node-5', 'node-6'], 120_000, 165_000],
      ['f3', 'resource-exhaustion', ['node-3'], 180_000, 240_000],
      ['f4', 'performance-degradation', ['node-2', 'node-4'], 240_000, 360_000],
    ]);
  });

  it('records which replicas and services sat on the targets when the fault landed', () => {
    const { world } = buildWorld({ ...API, faults: [{ at: '1m', kind: 'node-crash', target: 'node-4' }] });

    world.runUntil(2 * 60_000);

    expect(world.outcome().faults[0]?.components).toEqual(['node-4', 'orders-1', 'orders']);
  });

  it('resolves primary-of to wherever the primary is when the fault lands', () => {
    const { world } = buildWorld({
      workload: [{ service: 'orders', rps: 100, writeRatio: '10%' }],
      faults: [{ at: '2m', kind: 'node-crash', target: 'primary-of:orders' }],
    });
    world.runUntil(60_000);
    world.effectors.execute({
      kind: 'promote-replica',
      service: 'orders' as never,
      replica: 'orders-3' as never,
    });

    world.runUntil(3 * 60_000);

    expect(world.outcome().faults[0]?.targets).toEqual(['node-6']);
  });

  it('a reboot clears a memory leak but not a full disk', () => {
    const { world } = buildWorld({
      ...API,
      faults: [
        { at: '1m', kind: 'resource-exhaustion', target: 'node-1', resource: 'memory', leak: '5%' },
        { at: '1m', kind: 'resource-exhaustion', target: 'node-2', resource: 'disk', level: '99%' },
      ],
    });
    world.runUntil(2 * 60_000);

    world.effectors.execute({ kind: 'restart-node', node: 'node-1' as never });
    world.effectors.execute({ kind: 'restart-node', node: 'node-2' as never });
    world.runUntil(4 * 60_000);
    const [leak, disk] = world.outcome().faults;

    expect(leak?.clearedAtMs).toBe(165_000);
    expect(nodeOf(world, 'node-1').effects.size).toBe(0);
    expect(disk?.clearedAtMs).toBeNull();
  });

  it('a one-way partition blocks only the first group sending', () => {
    const { world } = buildWorld({
      ...API,
      faults: [
        { at: '1m', kind: 'network-partition', isolate: 'node-1', direction: 'outbound', duration: '1m' },
      ],
    });

    world.runUntil(90_000);
    const net = world.cluster.network;

    expect(net.reaches(0, net.control)).toBe(false);
    expect(net.reaches(net.control, 0)).toBe(true);
    expect(world.sensors.lastHeartbeatMs('node-1' as never)).toBeLessThanOrEqual(60_000);
  });
});
