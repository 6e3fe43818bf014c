import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import type { ReplicaPlacement, Sensors } from '../cluster/sensors.ts';
import type { DetectedFailure, Topology } from './types.ts';

const NONE: readonly ReplicaPlacement[] = [];

const groupBy = <K>(placements: readonly ReplicaPlacement[], key: (p: ReplicaPlacement) => K) => {
  const out = new Map<K, ReplicaPlacement[]>();
  for (const p of placements) {
    const list = out.get(key(p));
    if (list === undefined) out.set(key(p), [p]);
    else list.push(p);
  }
  return out;
};

/** A topology from placements and primaries, with its indexes by node and by service. */
export const topologyOf = (
  atMs: number,
  placements: readonly ReplicaPlacement[],
  primaries: ReadonlyMap<ServiceId, ReplicaId>,
): Topology => ({
  atMs,
  placements,
  primaries,
  byNode: groupBy(placements, (p) => p.node),
  byService: groupBy(placements, (p) => p.service),
});

/** An empty inventory, for phases that run before any was read. */
export const EMPTY_TOPOLOGY: Topology = topologyOf(0, [], new Map());

/**
 * Reads the control plane's inventory: every replica's placement and each stateful service's primary. Which
 * replica a promotion takes is not decided from here: the promotion asks the candidates (see `canPromote`).
 */
export const readTopology = (sensors: Sensors, atMs: number): Topology => {
  const primaries = new Map<ServiceId, ReplicaId>();
  for (const id of sensors.serviceIds()) {
    const primary = sensors.primaryOf(id);
    if (primary !== undefined) primaries.set(id, primary);
  }
  return topologyOf(atMs, sensors.placements(), primaries);
};

/**
 * The inventory as `readTopology` reads it, kept between reads: while every placement and primary is as it
 * was, a read is a check of them and a new topology around the same lists and indexes (which nothing changes:
 * a topology and all it holds are read-only), not a rebuild of them.
 */
export class TopologyReader {
  private last: Topology | undefined;

  constructor(
    private readonly sensors: Sensors,
    /** The services in `sensors.serviceIds()` order. */
    private readonly services: readonly ServiceId[],
  ) {}

  /** {@link readTopology} at `atMs`: an equal topology, sharing the last one's lists when nothing changed. */
  read(atMs: number): Topology {
    const last = this.last;
    if (
      last !== undefined &&
      this.primariesAre(last.primaries) &&
      this.sensors.placementsAre(last.placements)
    ) {
      return {
        atMs,
        placements: last.placements,
        primaries: last.primaries,
        byNode: last.byNode,
        byService: last.byService,
      };
    }
    const topology = readTopology(this.sensors, atMs);
    this.last = topology;
    return topology;
  }

  private primariesAre(primaries: ReadonlyMap<ServiceId, ReplicaId>): boolean {
    let n = 0;
    for (const id of this.services) {
      const primary = this.sensors.primaryOf(id);
      if (primary === undefined) continue;
      if (primaries.get(id) !== primary) return false;
      n++;
    }
    return n === primaries.size;
  }
}

/**
 * Whether a failure is contained: still there, but nothing runs on its nodes any more (a partitioned node
 * that has been emptied). An overloaded service is never contained: it is its own component.
 */
export const isContained = (topology: Topology, failure: DetectedFailure): boolean =>
  failure.cause !== 'overload' && placementsOn(topology, failure.nodes).length === 0;

/** The replicas placed on any of `nodes`. */
export const placementsOn = (topology: Topology, nodes: readonly NodeId[]): readonly ReplicaPlacement[] => {
  if (nodes.length === 1) return topology.byNode.get(nodes[0] as NodeId) ?? NONE;
  return nodes.flatMap((n) => topology.byNode.get(n) ?? NONE);
};

/** The replicas of `service`. */
export const placementsOf = (topology: Topology, service: ServiceId): readonly ReplicaPlacement[] =>
  topology.byService.get(service) ?? NONE;

/** The services with a replica on any of `nodes`, in first-seen order. */
export const servicesOn = (topology: Topology, nodes: readonly NodeId[]): ServiceId[] => {
  const out: ServiceId[] = [];
  for (const p of placementsOn(topology, nodes)) if (!out.includes(p.service)) out.push(p.service);
  return out;
};

/**
 * The share of the worst-hit service that `nodes` take away: the fraction of its replicas placed there, or 1
 * when its primary is there (every write depends on it).
 */
export const impactOf = (topology: Topology, nodes: readonly NodeId[]): number => {
  let worst = 0;
  const hit = new Map<ServiceId, number>();
  for (const p of placementsOn(topology, nodes)) {
    hit.set(p.service, (hit.get(p.service) ?? 0) + 1);
    if (topology.primaries.get(p.service) === p.replica) worst = 1;
  }
  for (const [service, n] of hit) worst = Math.max(worst, n / placementsOf(topology, service).length);
  return worst;
};
