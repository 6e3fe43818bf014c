import { describe, expect, it } from 'vitest';
import { FAULT_CATALOG } from '../../src/chaos/fault-catalog.ts';
import { FAULT_KINDS, type FaultKind, RANDOM_FAULT_DEFAULTS, type Resource } from '../../src/chaos/spec.ts';
import { RandomStreams } from '../../src/sim/random-streams.ts';
import { LOAD } from '../support/mapek.ts';
import { buildWorld, callingCluster } from '../support/world.ts';
import { clusterSnapshot, nodeSnapshot } from './cluster-snapshot.ts';

/**
 * Laws every row of the fault catalog obeys, run over the catalog itself: a new kind of fault is covered the
 * moment it has a row. Each row's parameters come from its own `random` generator (one draw per resource
 * the generator may pick), so the laws need no knowledge of a kind's fields.
 *
 * - inject then clear restores the node: lifecycle, flags, effects, limits, reach and replicas as before;
 * - once restored, the cluster is back at its healthy level, with no controller to help;
 * - a fault on one node leaves every other node as it was.
 */

const RESOURCES: readonly Resource[] = ['cpu', 'memory', 'disk'];
/** api's node-1 and the stateful orders primary's node-4: a fault on each kind of node. */
const TARGETS = ['node-1', 'node-4'] as const;
const INJECT_MS = 60_000;
const IN_EFFECT_MS = 20_000;
/** Long enough for a crashed node to boot, its replicas to start and the load balancer to admit them. */
const SETTLE_MS = 180_000;

const CALLING_CLUSTER = callingCluster();
const CALLING_SPEC = buildWorld({ cluster: CALLING_CLUSTER }).scenario.world.cluster;

/** The distinct parameter sets a row's generator draws for one target, one per resource weighting. */
const drawsOf = (kind: FaultKind, node: string) => {
  const draws = RESOURCES.map((resource, i) =>
    FAULT_CATALOG[kind].random(
      new RandomStreams(i + 1).stream('chaos'),
      {
        ...RANDOM_FAULT_DEFAULTS,
        meanIntervalMs: 60_000,
        kinds: { [kind]: 1 },
        resources: { [resource]: 1 },
      },
      IN_EFFECT_MS,
      { kind: 'nodes', nodes: [node] },
      CALLING_SPEC,
    ),
  );
  const seen = new Set<string>();
  return draws.filter((d) => {
    const key = JSON.stringify(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const CASES = FAULT_KINDS.flatMap((kind) =>
  TARGETS.flatMap((node) =>
    drawsOf(kind, node).map((params) => ({
      name: `${kind} on ${node} ${'resource' in params ? `(${params.resource})` : ''}`.trim(),
      node,
      params,
    })),
  ),
);

/** Injects the fault at 1 min, clears it (as its expiry does) after 20 s, and lets the cluster settle. */
const injectAndClear = (c: (typeof CASES)[number]) => {
  const { world } = buildWorld({ cluster: CALLING_CLUSTER, workload: LOAD });
  world.runUntil(INJECT_MS);
  const before = clusterSnapshot(world);
  const record = world.chaos.inject(c.params, 'timeline');
  if (record === undefined) throw new Error(`${c.name} was not injected`);
  world.runFor(IN_EFFECT_MS / 2);
  const during = nodeSnapshot(world, c.node);
  const duringServices = clusterSnapshot(world).services;
  world.chaos.expire(record.id);
  world.runFor(SETTLE_MS);
  return { world, before, during, duringServices, after: clusterSnapshot(world), record };
};

describe('fault catalog laws (every row)', () => {
  it('the laws run over every kind in the catalog', () => {
    expect(new Set(CASES.map((c) => c.params.kind))).toEqual(new Set(Object.keys(FAULT_CATALOG)));
  });

  describe.each(CASES)('$name', (c) => {
    // One run shared by the laws below, made when the first of them runs (not while tests are collected).
    let shared: ReturnType<typeof injectAndClear> | undefined;
    const get = () => {
      shared ??= injectAndClear(c);
      return shared;
    };

    it('breaks something on its node (or, holding no node, its services) while in effect', () => {
      const beforeNode = get().before.nodes.find((n) => n.id === c.node);

      if (get().record.targets.length === 0) expect(get().duringServices).not.toEqual(get().before.services);
      else expect(get().during).not.toEqual(beforeNode);
    });

    it('inject then clear restores the node, and every other node is untouched', () => {
      expect(get().after.nodes).toEqual(get().before.nodes);
    });

    it('once restored, the services are back as they were and at their healthy level', () => {
      expect(get().after.services).toEqual(get().before.services);
      expect(get().world.level.levelOk).toBe(true);
    });

    it('the ground truth records the fault as cleared', () => {
      expect(get().record.clearedAtMs).not.toBeNull();
      expect(get().world.chaos.activeCount).toBe(0);
    });
  });
});
