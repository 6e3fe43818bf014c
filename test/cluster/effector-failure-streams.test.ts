import { describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../src/cluster/actions.ts';
import { buildWorld } from '../support/world.ts';

const HALF_FAIL = {
  cluster: {
    nodes: { count: 3 },
    services: [{ name: 'api', replicas: 3, capacityRps: 400 }],
    effectors: { failureRate: '50%' },
  },
  workload: [{ service: 'api', rps: 600 }],
};

/** Whether each of ten cordons of node-1 succeeded, with `before` dispatched first on the same seed. */
const cordonLuck = (before: number): boolean[] => {
  const { world } = buildWorld(HALF_FAIL, 7);
  for (let i = 0; i < before; i++) world.effectors.execute({ kind: 'cordon-node', node: 'node-2' as never });
  const outcomes: ActionOutcome[] = [];
  for (let i = 0; i < 10; i++) {
    world.effectors.execute({ kind: 'cordon-node', node: 'node-1' as never }, (o) => outcomes.push(o));
    world.runFor(5_000);
  }
  return outcomes.map((o) => o.ok);
};

describe('effector failures: common random numbers', () => {
  it('an action on an object fails or not whatever other actions were dispatched before it', () => {
    const alone = cordonLuck(0);
    const afterOthers = cordonLuck(5);

    expect(afterOthers).toEqual(alone);
    // At 50 % the ten draws are not all alike, so the comparison above says something.
    expect(new Set(alone).size).toBe(2);
  });
});
