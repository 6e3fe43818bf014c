import { describe, expect, it } from 'vitest';
import type { ServiceId } from '../../src/cluster/ids.ts';
import { POLICIES } from '../../src/controllers/registry.ts';
import { readTopology, TopologyReader } from '../../src/mapek/topology.ts';
import type { Topology } from '../../src/mapek/types.ts';
import { buildWorld, chaoticWorld } from '../support/world.ts';

/** Every field of a placement list, so a change to one of them shows as a difference. */
const fields = (t: Topology) =>
  t.placements.map((p) => `${p.replica} ${p.service} ${p.node} ${p.role} ${p.inRotation} ${p.starting}`);

describe('the monitor keeps the inventory between reads', () => {
  it('reads what a fresh read gives at every instant, through chaos and the loop acting on it', () => {
    const chaos = chaoticWorld('4m');
    // Each node crashes in turn besides: one of them holds the stateful service's primary, which fails over.
    const crashes = Array.from({ length: 12 }, (_, i) => ({
      at: `${5 + 9 * i}m`,
      kind: 'node-crash',
      target: `node-${i + 1}`,
      duration: '4m',
    }));
    const { world, scenario } = buildWorld(
      { ...chaos, duration: '2h', faults: [...chaos.faults, ...crashes] },
      7,
    );
    world.attach(POLICIES.mapek(scenario.controller, {}));
    const reader = new TopologyReader(world.sensors, world.sensors.serviceIds() as ServiceId[]);
    let previous: Topology | undefined;
    let shared = 0;
    let rebuilt = 0;
    const changed = new Set<string>();
    for (let t = 500; t <= 2 * 3_600_000; t += 500) {
      world.runUntil(t);
      const kept = reader.read(t);
      const fresh = readTopology(world.sensors, t);
      expect(kept).toEqual(fresh);
      expect(Object.keys(kept)).toEqual(Object.keys(fresh));
      if (previous !== undefined) {
        if (kept.placements === previous.placements) shared++;
        else {
          rebuilt++;
          const before = fields(previous);
          for (const [i, now] of fields(kept).entries()) {
            const [, , node, role, rotation, starting] = now.split(' ');
            const [, , node0, role0, rotation0, starting0] = (before[i] ?? '').split(' ');
            if (node !== node0) changed.add('node');
            if (role !== role0) changed.add('role');
            if (rotation !== rotation0) changed.add('rotation');
            if (starting !== starting0) changed.add('starting');
          }
          if (before.length !== kept.placements.length) changed.add('count');
          if ([...kept.primaries].join() !== [...previous.primaries].join()) changed.add('primary');
        }
      }
      previous = kept;
    }

    // Both paths ran, and the rebuilt reads covered every kind of change a placement can see.
    expect(shared).toBeGreaterThan(1_000);
    expect(rebuilt).toBeGreaterThan(20);
    expect([...changed].sort()).toEqual(['count', 'node', 'primary', 'role', 'rotation', 'starting']);
  });
});
