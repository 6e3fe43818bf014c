import type { LoadEstimate } from './types.ts';

/** How a scale-out for an overloaded service is sized, as data. */
export const OVERLOAD_SCALING = {
  /** Utilisation the service should run at on its current load once the new replicas serve. */
  targetUtilisation: 0.85,
  /**
   * Time until new replicas serve: a start (8 s by default) and the load balancer's two passing checks (4 s).
   * Meanwhile the backlog keeps growing at the excess of attempts over throughput.
   */
  leadMs: 12_000,
  /** Time the backlog standing when they join should take to drain. */
  drainMs: 10_000,
} as const;

/**
 * Replicas to add to an overloaded service of `replicas` replicas in rotation: enough for its attempts at the
 * target utilisation, and enough to drain within `drainMs` the backlog it will hold when they join (its backlog
 * now, plus the excess for `leadMs`). Replicas that only match the load leave the backlog draining at the thin
 * margin above it: on overload-queueing one more replica (a quarter) took 17 s to drain a 90 s spike's
 * backlog. A replica serves what the saturated replicas serve now (their throughput per replica). At most
 * doubling the service, as the Kubernetes HPA's default scale-up policy allows (100 % per period); at least one.
 * Without a load estimate: a quarter more.
 */
export const overloadScaleCount = (replicas: number, load: LoadEstimate | undefined): number => {
  const quarter = Math.max(1, Math.ceil(replicas / 4));
  if (load === undefined || replicas <= 0 || load.throughputRps <= 0) return quarter;
  const perReplica = load.throughputRps / replicas;
  const growthRps = Math.max(0, load.attemptsRps - load.throughputRps);
  const backlogThen = load.backlog + (growthRps * OVERLOAD_SCALING.leadMs) / 1_000;
  const needed = Math.max(
    load.attemptsRps / OVERLOAD_SCALING.targetUtilisation,
    load.attemptsRps + backlogThen / (OVERLOAD_SCALING.drainMs / 1_000),
  );
  const count = Math.ceil(needed / perReplica - 1e-9) - replicas;
  return Math.min(Math.max(1, count), Math.max(1, replicas));
};
