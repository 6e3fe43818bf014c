import type { FaultParams, TargetSpec, TimedFault } from './spec.ts';

/** A timeline fault that has not landed yet, as far as its file names it. */
export interface UpcomingFault {
  readonly atMs: number;
  readonly kind: FaultParams['kind'];
  /**
   * The nodes it names, or null when its target is resolved only when it lands (the node holding a primary
   * or a replica at that moment, or drawn at random): it may hit any node. Empty: it hits no node (a load
   * spike hits services, a dependency failure a call edge).
   */
  readonly nodes: readonly string[] | null;
}

const named = (t: TargetSpec): readonly string[] | null => (t.kind === 'nodes' ? t.nodes : null);

/** The nodes a fault names in the file, by kind (a partition into groups touches every node it names). */
const nodesOf = (f: FaultParams): readonly string[] | null => {
  switch (f.kind) {
    case 'load-spike':
    case 'dependency-failure':
      return [];
    case 'network-partition':
      return f.split.kind === 'isolate' ? named(f.split.target) : f.split.groups.flat();
    default:
      return named(f.target);
  }
};

/** The faults of `timeline` still to land after `nowMs`, earliest first. */
export const upcomingFaults = (timeline: readonly TimedFault[], nowMs: number): UpcomingFault[] =>
  timeline
    .filter((f) => f.atMs > nowMs)
    .map((f) => ({ atMs: f.atMs, kind: f.kind, nodes: nodesOf(f) }))
    .sort((a, b) => a.atMs - b.atMs);

/** When the first of `upcoming` may hit `node` (a fault whose target is not yet known may), or +Infinity. */
export const nextHitMs = (upcoming: readonly UpcomingFault[], node: string): number => {
  for (const f of upcoming) if (f.nodes === null || f.nodes.includes(node)) return f.atMs;
  return Number.POSITIVE_INFINITY;
};
