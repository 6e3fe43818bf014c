import { describe, expect, it } from 'vitest';
import type { FaultSchedule } from '../../src/chaos/spec.ts';
import { scenarioSchema } from '../../src/scenario/schema/scenario.ts';
import { World } from '../../src/world/world.ts';
import { SMALL_CLUSTER } from '../support/world.ts';

const base = { name: 'bad', duration: '10m', cluster: SMALL_CLUSTER };

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly Issue[])[];
}

/** Every issue with its full path, looking inside union branches. */
const flatten = (
  issues: readonly Issue[],
  prefix: readonly PropertyKey[] = [],
): { path: string; message: string }[] =>
  issues.flatMap((i) => {
    const path = [...prefix, ...i.path];
    const nested = (i.errors ?? []).flatMap((branch) => flatten(branch, path));
    return nested.length > 0 ? nested : [{ path: path.join('.'), message: i.message }];
  });

const issuesOf = (input: Record<string, unknown>) => {
  const r = scenarioSchema.safeParse({ ...base, ...input });
  return r.success ? [] : flatten(r.error.issues);
};

describe('bad input is a typed error naming the field', () => {
  it('a negative duration', () => {
    const issues = issuesOf({ faults: [{ at: '-5s', kind: 'node-crash', target: 'node-1' }] });

    expect(issues).toContainEqual({
      path: 'faults.0.at',
      message: expect.stringMatching(/cannot be negative/),
    });
  });

  it('an unknown fault kind', () => {
    const issues = issuesOf({ faults: [{ at: '5s', kind: 'disk-on-fire', target: 'node-1' }] });

    expect(issues).toContainEqual({ path: 'faults.0.kind', message: expect.stringMatching(/node-crash/) });
  });

  it('a partition naming an unknown node, through the scenario schema', () => {
    const issues = issuesOf({
      faults: [{ at: '5s', kind: 'network-partition', groups: [['node-1'], ['node-9']], duration: '1m' }],
    });

    expect(issues).toEqual([
      { path: 'faults.0.groups.1.0', message: expect.stringMatching(/unknown node "node-9"/) },
    ]);
  });

  it('a partition naming an unknown node, through World.create', () => {
    const scenario = scenarioSchema.parse(base);
    const faults: FaultSchedule = {
      timeline: [
        {
          kind: 'network-partition',
          atMs: 5_000,
          split: { kind: 'groups', groups: [['node-1'], ['node-77']] },
          direction: 'both',
          durationMs: 60_000,
        },
      ],
      random: [],
    };

    const r = World.create({ ...scenario.world, faults }, { seed: 1 });

    expect(r.ok).toBe(false);
    if (!r.ok && r.error.kind === 'invalid-schedule') {
      expect(r.error.issues[0]).toMatchObject({
        kind: 'unknown-node',
        path: ['timeline', 0, 'split', 'groups', 1, 0],
      });
    } else {
      expect.fail('expected an invalid-schedule error');
    }
  });

  it('a cluster too small for its replicas', () => {
    const scenario = scenarioSchema.parse({
      ...base,
      cluster: { nodes: { count: 1, cpu: 2 }, services: [{ name: 'api', replicas: 3, capacityRps: 100 }] },
    });

    const r = World.create(scenario.world, { seed: 1 });

    expect(r.ok ? null : r.error).toMatchObject({ kind: 'insufficient-capacity', service: 'api' });
  });
});
