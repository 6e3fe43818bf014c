import type { Scenario } from './schema/scenario.ts';

/**
 * How much work a run would be, in "visits" (one node or replica looked at once by something periodic),
 * estimated from the scenario alone before it runs. Event-driven parts (health checks, faults landing,
 * actions) grow with changes and are small; what grows with simulated time is what happens on a clock:
 * metric scrapes, controller cycles, diurnal load steps, measurement windows and random fault arrivals,
 * each touching every node and replica (or every replica of a service).
 */
export interface CostEstimate {
  /** The total, in visits. */
  readonly visits: number;
  /** The terms it is the sum of, largest first: what to change to make the run cheaper. */
  readonly terms: readonly CostTerm[];
}

/** One part of a {@link CostEstimate}. */
export interface CostTerm {
  /** What it counts: `metric scrapes (every 1ms)`. */
  readonly what: string;
  readonly visits: number;
}

/**
 * The default limit: about ten minutes of one core. Measured on a shared 2-core machine, runs go at 3 x
 * 10^4 to 10^6 visits a second (random-chaos-24h-50-nodes: 7 x 10^6 visits in 8 s; a 20,000-node cluster,
 * 2.4 x 10^6 in 4 s; 1 ms MAPE-K cycles, 7 x 10^5 in 21 s, hence the fixed cost per cycle below).
 * `--no-cost-limit` lifts it.
 */
export const DEFAULT_COST_LIMIT = 3e8;

/**
 * Fixed visits per tick beyond the nodes and replicas it touches: a MAPE-K cycle runs five actors and
 * costs about as much as 60 visits even on a 3-node cluster (measured); anything else about 10.
 */
const CYCLE_BASE = 60;
const TICK_BASE = 10;

/** The controllers that do periodic work of their own, and how often (ms) when the scenario does not say. */
const CONTROLLER_PERIOD_MS: Readonly<Record<string, number | 'cycle' | null>> = {
  mapek: 'cycle',
  noop: null,
  'restart-always': 10_000,
  kubernetes: 10_000,
  oracle: 1_000,
};

const ticks = (spanMs: number, everyMs: number): number => (everyMs > 0 ? Math.ceil(spanMs / everyMs) : 0);

/** Estimates the work of one run of `scenario` (one seed). */
export const estimateCost = (scenario: Scenario): CostEstimate => {
  const { cluster, workload, faults, measurement } = scenario.world;
  const d = scenario.durationMs;
  const nodes = cluster.nodes.count;
  const replicasOf = new Map(cluster.services.map((s) => [s.name as string, s.replicas]));
  const replicas = [...replicasOf.values()].reduce((a, b) => a + b, 0);
  const everything = nodes + replicas;
  const terms: CostTerm[] = [];
  const add = (what: string, visits: number) => {
    if (visits > 0) terms.push({ what, visits });
  };
  const every = (ms: number) => `every ${ms}ms`;
  // Placement is O(replicas log nodes) (issue 12): each replica a heap step over the nodes.
  add('setting up nodes and replicas', nodes + replicas * Math.max(1, Math.ceil(Math.log2(nodes + 1))));
  const scrape = cluster.sensors.scrapeIntervalMs;
  add(`metric scrapes (${every(scrape)})`, ticks(d, scrape) * (TICK_BASE + everything));
  const period = CONTROLLER_PERIOD_MS[scenario.controller.policy] ?? null;
  const periodMs = period === 'cycle' ? scenario.controller.mapek.cycleIntervalMs : period;
  if (periodMs !== null) {
    const base = period === 'cycle' ? CYCLE_BASE : TICK_BASE;
    add(
      `${scenario.controller.policy} controller cycles (${every(periodMs)})`,
      ticks(d, periodMs) * (base + everything),
    );
  }
  for (const w of workload) {
    if (w.shape === 'diurnal') {
      add(
        `diurnal load steps of ${w.service} (${every(w.stepMs)})`,
        ticks(d, w.stepMs) * (TICK_BASE + (replicasOf.get(w.service) ?? 0)),
      );
    }
  }
  add(
    `measurement windows (${every(measurement.degradationWindowMs)})`,
    ticks(d, measurement.degradationWindowMs) * cluster.services.length,
  );
  faults.random.forEach((r, i) => {
    const span = Math.max(0, Math.min(r.untilMs ?? d, d) - r.fromMs);
    add(
      `random fault arrivals of generator ${i + 1} (mean ${every(r.meanIntervalMs)})`,
      ticks(span, r.meanIntervalMs) * (TICK_BASE + everything),
    );
  });
  add('timeline faults', faults.timeline.length * everything);
  terms.sort((a, b) => b.visits - a.visits);
  return { visits: terms.reduce((a, t) => a + t.visits, 0), terms };
};

/** `1.2e10` for people: three significant digits. */
export const formatVisits = (visits: number): string =>
  visits < 1e6 ? String(Math.round(visits)) : visits.toExponential(2).replace('e+', 'e');

/** The refusal of a run over the limit: the estimate, its largest parts, and the flag that goes past it. */
export const costLimitMessage = (file: string, estimate: CostEstimate, limit: number): string[] => [
  `${file}: estimated cost ${formatVisits(estimate.visits)} visits is over the limit of ${formatVisits(limit)} (one visit: one node or replica looked at by something periodic); the largest parts:`,
  ...estimate.terms.slice(0, 3).map((t) => `  ${formatVisits(t.visits)}  ${t.what}`),
  '  make those intervals longer, the cluster smaller or the run shorter, or pass --no-cost-limit to run it anyway',
];
