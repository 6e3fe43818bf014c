import type { ActionRequest } from '../cluster/actions.ts';
import type { ReplicaId, ServiceId } from '../cluster/ids.ts';
import { overloadScaleCount } from './overload-scaling.ts';
import { leadTimeShedFraction } from './overload-shedding.ts';
import type { ExpandContext, Expansion } from './strategy.ts';
import { placementsOf, placementsOn } from './topology.ts';
import type { RootCause } from './types.ts';

/**
 * Whether `service` has a replica worth a promotion away from `exclude`: one on a node the control plane
 * reaches (never the minority side of a partition, never a node under suspicion or being evacuated), not
 * starting. A deposed primary counts: once it hears of the new primary it rejoins as a replica holding the
 * whole log. Which candidate wins is left to the promotion itself, which asks each for its log position at
 * that moment (see the `promote-replica` effector): a lag reading from the last scrape can be as stale as it is
 * reassuring.
 */
export const canPromote = (c: ExpandContext, service: ServiceId, exclude: ReplicaId): boolean =>
  placementsOf(c.topology, service).some(
    (p) =>
      p.replica !== exclude &&
      !p.starting &&
      p.role !== 'none' &&
      !c.unreachable.has(p.node) &&
      !c.failure.nodes.includes(p.node),
  );

/**
 * Fail over and reschedule, in two stages: promote away from each primary on the failed nodes while moving
 * every other replica off them; then move the old primaries too (deposed by then, they are plain replicas).
 */
export const failover = (c: ExpandContext): ActionRequest[][] | null => {
  const first: ActionRequest[] = [];
  const then: ActionRequest[] = [];
  // Replicas on a leaking node still serve well: they keep serving until their replacement is admitted (a
  // move with surge), so the cure costs no dip of its own. Replicas on a starved, slow or full node serve
  // badly: they leave rotation at once.
  const surge = SURGE_CAUSES.has(c.failure.cause);
  const move = (replica: ReplicaId): ActionRequest => ({
    kind: 'move-replica',
    replica,
    ...(surge ? { surge } : {}),
  });
  for (const p of placementsOn(c.topology, c.failure.nodes)) {
    if (c.topology.primaries.get(p.service) === p.replica) {
      if (!canPromote(c, p.service, p.replica)) return null;
      first.push({ kind: 'promote-replica', service: p.service, avoidNodes: c.failure.nodes });
      then.push(move(p.replica));
    } else {
      first.push(move(p.replica));
    }
  }
  return [first, then];
};

/** Root causes whose replicas still serve well until the cure: moved with surge. */
const SURGE_CAUSES: ReadonlySet<RootCause> = new Set(['memory']);

/** A power cycle of each failed node. */
export const reboot = (c: ExpandContext): ActionRequest[] =>
  c.failure.nodes.map((node) => ({ kind: 'restart-node', node }) as const);

/** One extra replica of each affected service per replica it has on the failed nodes. */
export const scaleForNodes = (c: ExpandContext): ActionRequest[] => {
  const counts = new Map<ServiceId, number>();
  for (const p of placementsOn(c.topology, c.failure.nodes))
    counts.set(p.service, (counts.get(p.service) ?? 0) + 1);
  return [...counts].map(([service, count]) => ({ kind: 'scale-out', service, count }) as const);
};

/**
 * Replicas for an overloaded service, sized from its load estimate to carry the load and drain its backlog
 * (overload-scaling.ts); a quarter more when the failure spans several services (one estimate cannot size each).
 */
export const scaleService = (c: ExpandContext): ActionRequest[] =>
  c.failure.services.map((service) => {
    const placed = placementsOf(c.topology, service);
    const serving = placed.filter((p) => p.inRotation && !p.starting).length;
    const load = c.failure.services.length === 1 ? c.failure.load : undefined;
    const count =
      load === undefined ? Math.max(1, Math.ceil(placed.length / 4)) : overloadScaleCount(serving, load);
    return { kind: 'scale-out', service, count } as const;
  });

/**
 * Scale-out for a one-service overload whose attempts exceed what its replicas serve, with the share they
 * cannot carry shed while the new replicas start (overload-shedding.ts); null when nothing exceeds (the
 * scale-out alone then) or the load is not one service's.
 */
export const shedWhileScaling = (c: ExpandContext): ActionRequest[] | null => {
  const load = c.failure.load;
  const [service, ...others] = c.failure.services;
  if (c.failure.cause !== 'overload' || load === undefined || service === undefined || others.length > 0)
    return null;
  const fraction = leadTimeShedFraction(load);
  return fraction <= 0 ? null : [{ kind: 'shed-load', service, fraction }, ...scaleService(c)];
};

/**
 * The expansion of `stages` and `background`: null when a stage could not be built (null), or when nothing is
 * left to do once the empty stages are dropped.
 */
export const nonEmpty = (
  stages: readonly (readonly ActionRequest[] | null)[],
  background: readonly ActionRequest[] = [],
): Expansion => {
  if (stages.some((s) => s === null)) return null;
  const kept = stages.filter((s): s is readonly ActionRequest[] => s !== null && s.length > 0);
  return kept.length === 0 && background.length === 0 ? null : { stages: kept, background };
};
