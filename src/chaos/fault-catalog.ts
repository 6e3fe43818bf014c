import type { Cluster } from '../cluster/cluster.ts';
import type { NodeRuntime, Replica } from '../cluster/runtime/records.ts';
import type { ClusterSpec } from '../cluster/spec.ts';
import { setLoadFactor } from '../cluster/workload.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import { PROCESS_FAULT_ROWS } from './process-faults.ts';
import type { FaultKind, FaultParams, RandomFaults, Resource, TargetSpec } from './spec.ts';

/** What a fault definition may touch when it lands or clears. */
export interface FaultContext {
  readonly cluster: Cluster;
  readonly nowMs: number;
}

/** A fault being injected: its id, parameters and the nodes it resolved to. */
export interface Injection<P extends FaultParams = FaultParams> {
  readonly id: string;
  readonly params: P;
  readonly targets: readonly NodeRuntime[];
  /** For a process fault: the replicas it landed in (`targets` are their nodes). */
  readonly replicas?: readonly Replica[];
}

/** One row of the catalog: how a kind of fault breaks the cluster and what ends it. */
export interface FaultDefinition<K extends FaultKind> {
  readonly summary: string;
  /** Whether rebooting a target node ends the fault there (a reboot wipes processes, not hardware or links). */
  readonly clearedByReboot: (params: Extract<FaultParams, { kind: K }>) => boolean;
  /** Whether the fault on a node is over once the node is back up (a crash is). */
  readonly clearedByNodeUp: boolean;
  /** Breaks the cluster. */
  readonly inject: (ctx: FaultContext, f: Injection<Extract<FaultParams, { kind: K }>>) => void;
  /** Undoes the fault on the given targets (all of them when the fault expires). */
  readonly clear: (
    ctx: FaultContext,
    f: Injection<Extract<FaultParams, { kind: K }>>,
    nodes: readonly NodeRuntime[],
  ) => void;
  /**
   * Draws the parameters of a randomly generated fault on already drawn `target` nodes. Every generated
   * fault has a duration: after it the infrastructure repairs the fault (a crashed machine reboots, a leaking
   * job ends, logs rotate) unless the controller has done so first.
   */
  readonly random: (
    rng: RandomStream,
    gen: RandomFaults,
    durationMs: number,
    target: TargetSpec,
    /** The cluster's declaration (never its state): the call graph a dependency fault is drawn from. */
    spec: ClusterSpec,
  ) => Extract<FaultParams, { kind: K }>;
}

const CONTROL = 'control';

/** Side of each endpoint (nodes, then the control plane) for a partition, as the network wants it. */
export const partitionSides = (
  cluster: Cluster,
  split: Extract<FaultParams, { kind: 'network-partition' }>['split'],
  targets: readonly NodeRuntime[],
): Int16Array => {
  const n = cluster.nodes.length;
  const side = new Int16Array(n + 1);
  const indexOf = (name: string) => (name === CONTROL ? n : (cluster.node(name)?.index ?? -1));
  if (split.kind === 'isolate') {
    side.fill(split.from === undefined ? 1 : -1);
    for (const name of split.from ?? []) {
      const i = indexOf(name);
      if (i >= 0) side[i] = 1;
    }
    for (const t of targets) side[t.index] = 0;
    return side;
  }
  side.fill(-1);
  split.groups.forEach((group, g) => {
    for (const name of group) {
      const i = indexOf(name);
      if (i >= 0) side[i] = g;
    }
  });
  // Endpoints no group names, the control plane included, stay with the largest group.
  let largest = 0;
  split.groups.forEach((group, g) => {
    if (group.length > (split.groups[largest]?.length ?? 0)) largest = g;
  });
  for (let i = 0; i <= n; i++) if (side[i] === -1) side[i] = largest;
  return side;
};

const resourceEffect = (p: Extract<FaultParams, { kind: 'resource-exhaustion' }>, nowMs: number) =>
  p.resource === 'memory'
    ? ({ resource: 'memory', level: p.level, leakPerMs: p.leakPerMinute / 60_000, sinceMs: nowMs } as const)
    : ({ resource: p.resource, level: p.level } as const);

const RESOURCES_CLEARED_BY_REBOOT: Readonly<Record<Resource, boolean>> = {
  cpu: true,
  memory: true,
  disk: false,
};

/** The services a load spike multiplies: the ones it names, or every service. */
export const spikedServices = (
  cluster: Cluster,
  p: Extract<FaultParams, { kind: 'load-spike' }>,
): string[] => (p.services.length > 0 ? [...p.services] : cluster.services.map((s) => s.spec.name));

/** The fault catalog, as data: adding a kind means adding a row here, nothing in the loop. */
export const FAULT_CATALOG: { readonly [K in FaultKind]: FaultDefinition<K> } = {
  'node-crash': {
    summary:
      'a machine stops: its replicas and heartbeats stop; it stays down until restarted or until its duration ends',
    clearedByReboot: () => false,
    clearedByNodeUp: true,
    inject: ({ cluster }, f) => {
      for (const n of f.targets) cluster.crashNode(n, 'fault');
    },
    clear: ({ cluster }, _f, nodes) => {
      const bootMs = cluster.spec.effectors.nodeBootMs;
      for (const n of nodes) if (n.state === 'crashed') cluster.bootNode(n, bootMs, () => {});
    },
    random: (_rng, _gen, durationMs, target) => ({ kind: 'node-crash', target, durationMs }),
  },

  'network-partition': {
    summary: 'the network splits into groups (or cuts nodes off), both ways or one way, until it heals',
    clearedByReboot: () => false,
    clearedByNodeUp: false,
    inject: ({ cluster }, f) =>
      cluster.partition(f.id, partitionSides(cluster, f.params.split, f.targets), f.params.direction),
    clear: ({ cluster }, f) => cluster.heal(f.id),
    random: (_rng, _gen, durationMs, target) => ({
      kind: 'network-partition',
      split: { kind: 'isolate', target },
      direction: 'both',
      durationMs,
    }),
  },

  'resource-exhaustion': {
    summary: 'a runaway process takes CPU, leaks memory towards an OOM crash, or fills the disk',
    clearedByReboot: (p) => RESOURCES_CLEARED_BY_REBOOT[p.resource],
    clearedByNodeUp: false,
    inject: ({ cluster, nowMs }, f) => {
      for (const n of f.targets) cluster.setEffect(n, f.id, resourceEffect(f.params, nowMs));
    },
    clear: ({ cluster }, f, nodes) => {
      for (const n of nodes) cluster.removeEffect(n, f.id);
    },
    random: (rng, gen, durationMs, target) => {
      const resource = rng.weighted(gen.resources) ?? 'cpu';
      // Drawn in a fixed order whatever the resource, so one kind of draw never shifts the others.
      const level = rng.uniform(0.8, 0.97);
      const diskLevel = rng.uniform(0.985, 1);
      const leak = rng.uniform(0.1, 0.3);
      const base = { kind: 'resource-exhaustion', target, resource, durationMs } as const;
      if (resource === 'memory') return { ...base, level: 0, leakPerMinute: leak };
      if (resource === 'disk') return { ...base, level: diskLevel, leakPerMinute: 0 };
      return { ...base, level, leakPerMinute: 0 };
    },
  },

  'performance-degradation': {
    summary: 'a node slows down (noisy neighbour, failing disk): higher latency, lower capacity',
    clearedByReboot: () => false,
    clearedByNodeUp: false,
    inject: ({ cluster }, f) => {
      const effect = {
        resource: 'performance',
        latencyFactor: f.params.latencyFactor,
        capacityFactor: f.params.capacityFactor,
      } as const;
      for (const n of f.targets) cluster.setEffect(n, f.id, effect);
    },
    clear: ({ cluster }, f, nodes) => {
      for (const n of nodes) cluster.removeEffect(n, f.id);
    },
    random: (rng, _gen, durationMs, target) => ({
      kind: 'performance-degradation',
      target,
      latencyFactor: rng.uniform(2, 8),
      capacityFactor: rng.uniform(0.3, 0.8),
      durationMs,
    }),
  },

  'load-spike': {
    summary:
      "a burst of traffic (a launch, a retry wave, a batch job) multiplies services' offered load for its duration",
    clearedByReboot: () => false,
    clearedByNodeUp: false,
    inject: ({ cluster }, f) => {
      for (const s of spikedServices(cluster, f.params)) setLoadFactor(cluster, s, f.id, f.params.factor);
    },
    clear: ({ cluster }, f) => {
      for (const s of spikedServices(cluster, f.params)) setLoadFactor(cluster, s, f.id, undefined);
    },
    // Every service at once, as a front-door burst reaches them; 1.5x to 3x, the range of a bad launch day.
    random: (rng, _gen, durationMs) => ({
      kind: 'load-spike',
      services: [],
      factor: rng.uniform(1.5, 3),
      durationMs,
    }),
  },

  ...PROCESS_FAULT_ROWS,
  'dependency-failure': {
    summary:
      'calls from one service to another fail or slow down on the way (a bad route, a broken proxy, a misconfigured client) while both services are healthy',
    clearedByReboot: () => false,
    clearedByNodeUp: false,
    inject: ({ cluster }, f) =>
      cluster.setCallFault(f.params.from, f.params.to, f.params.errorRate, f.params.latencyMs),
    clear: ({ cluster }, f) => cluster.setCallFault(f.params.from, f.params.to, 0, 0),
    // One declared edge, drawn uniformly; half of the draws fail calls (50-100 %), half slow them (0.5-5 s).
    random: (rng, _gen, durationMs, _target, spec) => {
      const edges = spec.services.flatMap((s) => (s.calls ?? []).map((c) => [s.name, c.service] as const));
      const pick = edges[Math.min(edges.length - 1, Math.floor(rng.next() * edges.length))] ?? ['', ''];
      const errors = rng.next() < 0.5;
      const errorRate = rng.uniform(0.5, 1);
      const latencyMs = Math.round(rng.uniform(500, 5_000));
      return {
        kind: 'dependency-failure',
        from: pick[0],
        to: pick[1],
        errorRate: errors ? errorRate : 0,
        latencyMs: errors ? 0 : latencyMs,
        durationMs,
      };
    },
  },
};

/**
 * The catalog row for a fault's kind, typed for its parameters (a cast: TypeScript cannot see that indexing
 * a mapped type by `P['kind']` gives the row for that kind, microsoft/TypeScript#30581).
 */
export const definitionOf = <P extends FaultParams>(params: P): FaultDefinition<P['kind']> =>
  FAULT_CATALOG[params.kind] as unknown as FaultDefinition<P['kind']>;
