import { scenarioSchema } from '../../src/scenario/schema/scenario.ts';
import { World } from '../../src/world/world.ts';

/** A small cluster most tests start from: api on node-1..3 (3 x 400 rps), orders on node-4..6 (3 x 300 rps). */
export const SMALL_CLUSTER = {
  nodes: { count: 6 },
  services: [
    { name: 'api', replicas: 3, capacityRps: 400 },
    { name: 'orders', replicas: 3, capacityRps: 300, stateful: { replication: 'sync' } },
  ],
};

/**
 * SMALL_CLUSTER with api calling orders on one request in ten (with a fallback when asked): a call edge for the
 * law tables' circuit-breaker and dependency-failure rows. Orders at 400 rps a replica: its primary takes the
 * writes of its own load and of api's calls besides its share of the reads (300 would leave it at 99.9 %, a
 * queue that never settles).
 */
export const callingCluster = (fallback = false) => ({
  ...SMALL_CLUSTER,
  services: SMALL_CLUSTER.services.map((s) =>
    s.name === 'api'
      ? {
          ...s,
          calls: [{ service: 'orders', perRequest: 0.1, timeout: '1s', ...(fallback ? { fallback } : {}) }],
        }
      : s.name === 'orders'
        ? { ...s, capacityRps: 400 }
        : s,
  ),
});

/**
 * SMALL_CLUSTER without queues (`queueLimit: 0`): load above a replica's capacity fails at once instead of
 * queueing, as the v0.1 fluid pipe did. For tests of other mechanisms (windows, recovery instants, the load
 * balancer's lag) whose numbers are worked by hand without a backlog to fill and drain.
 */
export const FLUID_CLUSTER = {
  ...SMALL_CLUSTER,
  services: SMALL_CLUSTER.services.map((s) => ({ ...s, queueLimit: 0 })),
};

/**
 * A 12-node world with random chaos of every kind (`meanInterval` apart, up to three at once, about three
 * minutes each), the determinism tests' world.
 */
export const chaoticWorld = (meanInterval: string) => ({
  cluster: {
    nodes: { count: 12 },
    services: [
      { name: 'api', replicas: 6, capacityRps: 400 },
      { name: 'orders', replicas: 3, capacityRps: 300, stateful: { replication: 'async' } },
    ],
  },
  workload: [
    { service: 'api', rps: 1500, shape: 'diurnal' },
    { service: 'orders', rps: 400, writeRatio: '25%' },
  ],
  faults: [
    {
      random: {
        meanInterval,
        kinds: {
          'node-crash': 1,
          'network-partition': 1,
          'resource-exhaustion': 1,
          'performance-degradation': 1,
        },
        maxConcurrent: 3,
        duration: { mean: '3m' },
      },
    },
  ],
});

/** Parses a scenario written as an object (the same schema as files) and builds its world. */
export const buildWorld = (input: Record<string, unknown>, seed = 1, keepTrace = false) => {
  const scenario = scenarioSchema.parse({ name: 'test', duration: '1h', cluster: SMALL_CLUSTER, ...input });
  const built = World.create(scenario.world, { seed, keepTrace });
  if (!built.ok) throw new Error(`test world failed to build: ${built.error.message}`);
  return { world: built.value, scenario };
};

/** The runtime state of a service, by name (tests read ground truth directly). */
export const serviceOf = (world: World, name: string) => {
  const s = world.cluster.service(name);
  if (s === undefined) throw new Error(`no service ${name}`);
  return s;
};

/** The runtime state of a node, by id. */
export const nodeOf = (world: World, id: string) => {
  const n = world.cluster.node(id);
  if (n === undefined) throw new Error(`no node ${id}`);
  return n;
};

/** Time of the first trace line of `kind` from `source` (needs keepTrace). */
export const traceTime = (world: World, kind: string, source: string): number => {
  for (const line of world.trace.recordedLines) {
    const e = JSON.parse(line) as { t: number; kind: string; source: string };
    if (e.kind === kind && e.source === source) return e.t;
  }
  throw new Error(`no ${kind} from ${source} in the trace`);
};
