import { err, ok, type Result } from '../base/result.ts';
import {
  type DurationDistribution,
  FAULT_KINDS,
  type FaultKind,
  type RandomFaults,
  type Resource,
} from '../chaos/spec.ts';
import { radiusCount } from '../chaos/targets.ts';
import { nodeIdOf } from '../cluster/ids.ts';
import type { PartitionDirection } from '../cluster/network.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import { timeText } from './time-text.ts';

/**
 * What random fault schedules may contain. Every generated schedule stays inside it, and fast-check shrinks
 * towards a smaller schedule: fewer faults, earlier, shorter, on fewer nodes, milder.
 */
export interface FaultBudget {
  /** Nodes faults may target by name (usually every node of the cluster). */
  readonly nodes: readonly string[];
  /** Stateful services whose primary may be targeted with `primary-of:`. */
  readonly statefulServices?: readonly string[];
  /** Services with two replicas or more, one of which may be targeted with `replica-of:`. */
  readonly replicatedServices?: readonly string[];
  readonly kinds: readonly FaultKind[];
  /** Faults land in [fromMs, untilMs). */
  readonly fromMs: number;
  readonly untilMs: number;
  /** Fewest faults in a schedule (default 0: the empty schedule is the smallest of all). */
  readonly minFaults?: number;
  readonly maxFaults: number;
  /**
   * At most this many faults in effect at once. A fault is in effect from its landing to the end of its
   * duration, plus `crashRebootMs` for a crash (the machine still has to boot). Faults that would exceed it,
   * or that would hit a node another fault in effect holds, are dropped from the schedule.
   */
  readonly maxConcurrent: number;
  /** Most nodes one fault may hit. */
  readonly maxBlastRadius: number;
  /** Fault durations, in [minDurationMs, maxDurationMs] (whole seconds). */
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
  /**
   * Directions a `network-partition` may cut (default: `both`, as the random generator does). Adding
   * `outbound` or `inbound` explores one-way partitions, gray failures beyond the generator's catalog.
   */
  readonly partitionDirections?: readonly PartitionDirection[];
  /** Resources `resource-exhaustion` may exhaust (default: cpu, memory and disk). */
  readonly resources?: readonly Resource[];
  /** How long a crashed machine takes to come back once its crash ends: the cluster's `nodeBoot` (default 0). */
  readonly crashRebootMs?: number;
  /** Declared call edges, [caller, callee], a `dependency-failure` may hit (none: that kind is never drawn). */
  readonly callEdges?: readonly (readonly [string, string])[];
}

/** Settings that override what a scenario's `faults.random` blocks allow (the `explore` flags). */
export interface BudgetOverrides {
  readonly maxFaults?: number;
  readonly maxConcurrent?: number;
  readonly kinds?: readonly FaultKind[];
  readonly maxBlastRadius?: number;
}

/** Why a scenario gives no fault budget. */
export interface BudgetError {
  readonly kind: 'no-fault-budget';
  readonly message: string;
}

/** Durations a budget allows when no generator says: from 10 s to 2 min. */
export const DEFAULT_DURATIONS_MS = { min: 10_000, max: 120_000 } as const;

/** Shortest and longest duration a distribution gives in practice (an exponential's 95th percentile is 3 means). */
const DURATION_RANGE: {
  readonly [K in DurationDistribution['kind']]: (
    d: Extract<DurationDistribution, { kind: K }>,
  ) => [number, number];
} = {
  fixed: (d) => [d.ms, d.ms],
  uniform: (d) => [d.minMs, d.maxMs],
  exponential: (d) => [1_000, 3 * d.meanMs],
};

const rangeOf = (d: DurationDistribution): [number, number] =>
  (DURATION_RANGE[d.kind] as (x: DurationDistribution) => [number, number])(d);

/** Arrivals a Poisson generator makes in its window, with room for a busy run (mean plus two deviations). */
const arrivalsOf = (g: RandomFaults, untilMs: number): number => {
  const mean = Math.max(0, untilMs - g.fromMs) / g.meanIntervalMs;
  return Math.max(1, Math.ceil(mean + 2 * Math.sqrt(mean)));
};

const positive = <K extends string>(weights: Readonly<Partial<Record<K, number>>>): K[] =>
  (Object.entries(weights) as [K, number | undefined][]).filter(([, w]) => (w ?? 0) > 0).map(([k]) => k);

const wholeSeconds = (ms: number) => Math.max(1_000, Math.round(ms / 1_000) * 1_000);

/**
 * Kinds a budget takes when nothing names any: every kind but `load-spike`, which no node action undoes yet,
 * so a search would find that a big enough spike breaks any SLO and nothing else (opt in with --kinds).
 */
const UNNAMED_BUDGET_KINDS = FAULT_KINDS.filter((k) => k !== 'load-spike');

/** A `dependency-failure` needs a call edge to hit: without `calls` in the cluster it is never drawn. */
const drawable = (kinds: readonly FaultKind[], edges: number): FaultKind[] =>
  kinds.filter((k) => k !== 'dependency-failure' || edges > 0);

/**
 * The fault budget a scenario's `faults.random` blocks allow, with the overrides applied: their kinds and
 * resources, the window from the earliest `from` to the latest `until` (or the end), as many faults as the
 * generators would plausibly make, their `maxConcurrent` summed, the widest blast radius, and the range of
 * their durations. Without a random block, `maxFaults` must be given and the rest takes defaults (every
 * kind, the whole run, one at a time, one node, 10 s to 2 min).
 */
export const budgetFromScenario = (
  scenario: Scenario,
  overrides: BudgetOverrides = {},
): Result<FaultBudget, BudgetError> => {
  const { cluster, faults } = scenario.world;
  const gens = faults.random;
  const endMs = scenario.durationMs;
  if (gens.length === 0 && overrides.maxFaults === undefined) {
    return err({
      kind: 'no-fault-budget',
      message:
        'the scenario has no `faults: [{ random: ... }]` block to take a fault budget from; add one, or give --max-faults',
    });
  }
  const nodeCount = cluster.nodes.count;
  const untilOf = (g: RandomFaults) => Math.min(endMs, g.untilMs ?? endMs);
  const ranges = gens.map((g) => rangeOf(g.duration));
  const genKinds = [...new Set(gens.flatMap((g) => positive(g.kinds)))];
  const genResources = [...new Set(gens.flatMap((g) => positive(g.resources)))];
  const services = cluster.services;
  const callEdges = services.flatMap((s) =>
    (s.calls ?? []).map((c) => [s.name as string, c.service as string] as const),
  );
  const budget: FaultBudget = {
    ...(callEdges.length === 0 ? {} : { callEdges }),
    nodes: Array.from({ length: nodeCount }, (_, i) => nodeIdOf(i + 1) as string),
    statefulServices: services.filter((s) => s.stateful !== undefined).map((s) => s.name),
    replicatedServices: services.filter((s) => s.replicas >= 2).map((s) => s.name),
    kinds: drawable(
      overrides.kinds ??
        (genKinds.length > 0 ? FAULT_KINDS.filter((k) => genKinds.includes(k)) : UNNAMED_BUDGET_KINDS),
      callEdges.length,
    ),
    fromMs: gens.length > 0 ? Math.min(...gens.map((g) => g.fromMs)) : 0,
    untilMs: gens.length > 0 ? Math.max(...gens.map(untilOf)) : endMs,
    maxFaults: overrides.maxFaults ?? gens.reduce((n, g) => n + arrivalsOf(g, untilOf(g)), 0),
    maxConcurrent:
      overrides.maxConcurrent ??
      Math.max(
        1,
        gens.reduce((n, g) => n + g.maxConcurrent, 0),
      ),
    maxBlastRadius:
      overrides.maxBlastRadius ?? Math.max(1, ...gens.map((g) => radiusCount(g.blastRadius, nodeCount))),
    minDurationMs: wholeSeconds(
      ranges.length > 0 ? Math.min(...ranges.map((r) => r[0])) : DEFAULT_DURATIONS_MS.min,
    ),
    maxDurationMs: wholeSeconds(
      ranges.length > 0 ? Math.max(...ranges.map((r) => r[1])) : DEFAULT_DURATIONS_MS.max,
    ),
    ...(genResources.length > 0 ? { resources: genResources } : {}),
    crashRebootMs: cluster.effectors.nodeBootMs,
  };
  return ok(budget);
};

/** One line saying what a budget allows, for the `explore` header and counterexample files. */
export const describeBudget = (b: FaultBudget): string => {
  const count =
    b.minFaults !== undefined && b.minFaults > 0
      ? `${b.minFaults} to ${b.maxFaults}`
      : `up to ${b.maxFaults}`;
  return [
    `${count} fault${b.maxFaults === 1 ? '' : 's'} (${b.kinds.join(', ')})`,
    `landing in [${timeText(b.fromMs)}, ${timeText(b.untilMs)})`,
    `at most ${b.maxConcurrent} at once`,
    `on at most ${b.maxBlastRadius} node${b.maxBlastRadius === 1 ? '' : 's'} each`,
    `lasting ${timeText(b.minDurationMs)} to ${timeText(b.maxDurationMs)}`,
  ].join(', ');
};
