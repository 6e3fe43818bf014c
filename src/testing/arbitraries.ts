import fc from 'fast-check';
import type { FaultKind, Resource } from '../chaos/spec.ts';

/**
 * What random fault schedules may contain. Everything is drawn so that fast-check shrinks towards a
 * smaller schedule: fewer faults, earlier, shorter, on fewer nodes, milder.
 */
export interface FaultBudget {
  /** Nodes faults may target (usually every node of the cluster). */
  readonly nodes: readonly string[];
  /** Stateful services whose primary may be targeted with `primary-of:`. */
  readonly statefulServices?: readonly string[];
  readonly kinds: readonly FaultKind[];
  /** Faults land in [fromMs, untilMs). */
  readonly fromMs: number;
  readonly untilMs: number;
  readonly maxFaults: number;
  /** At most this many faults in effect at once; extra ones are dropped from the schedule. */
  readonly maxConcurrent: number;
  /** Most nodes one fault may hit. */
  readonly maxBlastRadius: number;
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
  /** Resources `resource-exhaustion` may exhaust. */
  readonly resources?: readonly Resource[];
}

/** A fault entry as a scenario file writes it (durations in whole seconds, so a counterexample reads well). */
export type FaultEntryInput = Readonly<Record<string, unknown>> & {
  readonly at: string;
  readonly kind: FaultKind;
};

const seconds = (ms: number) => Math.floor(ms / 1_000);

/** The entry's active window in ms, for the concurrency budget (a fault without duration lasts to the end). */
const windowOf = (e: FaultEntryInput): [number, number] => {
  const at = Number.parseInt(e.at, 10) * 1_000;
  const duration =
    typeof e.duration === 'string' ? Number.parseInt(e.duration, 10) * 1_000 : Number.POSITIVE_INFINITY;
  return [at, at + duration];
};

/**
 * Keeps the schedule within the concurrency budget: walks faults in time order and drops any that would
 * exceed it. A map, not a filter, so shrinking still works on the underlying list.
 */
export const enforceConcurrency = (
  entries: readonly FaultEntryInput[],
  maxConcurrent: number,
): FaultEntryInput[] => {
  const sorted = [...entries].sort((a, b) => windowOf(a)[0] - windowOf(b)[0]);
  const kept: FaultEntryInput[] = [];
  for (const e of sorted) {
    const [start] = windowOf(e);
    const active = kept.filter((k) => windowOf(k)[1] > start).length;
    if (active < maxConcurrent) kept.push(e);
  }
  return kept;
};

/** Arbitrary parameters of one fault of a kind, as a scenario entry (without `at`). */
const paramsOf = (kind: FaultKind, budget: FaultBudget): fc.Arbitrary<Record<string, unknown>> => {
  const targets = fc.subarray([...budget.nodes], {
    minLength: 1,
    maxLength: Math.max(1, budget.maxBlastRadius),
  });
  const duration = fc
    .integer({
      min: seconds(budget.minDurationMs),
      max: Math.max(seconds(budget.minDurationMs), seconds(budget.maxDurationMs)),
    })
    .map((s) => `${s}s`);
  const stateful = budget.statefulServices ?? [];
  switch (kind) {
    case 'node-crash': {
      const target =
        stateful.length > 0
          ? fc.oneof(targets, fc.constantFrom(...stateful.map((s) => `primary-of:${s}`)))
          : targets;
      return fc.record({ target, duration: fc.option(duration, { nil: undefined }) }).map(dropUndefined);
    }
    case 'network-partition':
      return fc
        .record({
          isolate: targets,
          direction: fc.constantFrom('both', 'outbound', 'inbound'),
          duration,
        })
        .map(dropUndefined);
    case 'resource-exhaustion':
      return fc
        .record({
          target: targets,
          resource: fc.constantFrom(...(budget.resources ?? (['cpu', 'memory', 'disk'] as const))),
        })
        .chain(({ target, resource }) =>
          resource === 'memory'
            ? fc.integer({ min: 1, max: 20 }).map((p) => ({ target, resource, leak: `${p}%` }))
            : fc
                .record({
                  level: fc.integer({ min: 80, max: 100 }),
                  duration: fc.option(duration, { nil: undefined }),
                })
                .map(({ level, duration: d }) =>
                  dropUndefined({ target, resource, level: `${level}%`, duration: d }),
                ),
        );
    case 'performance-degradation':
      return fc
        .record({
          target: targets,
          latencyFactor: fc.integer({ min: 1, max: 10 }),
          capacityFactor: fc.integer({ min: 10, max: 100 }).map((p) => `${p}%`),
          duration,
        })
        .map(dropUndefined);
  }
};

const dropUndefined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** One fault entry within the budget. */
export const faultEntry = (budget: FaultBudget): fc.Arbitrary<FaultEntryInput> =>
  fc
    .record({
      at: fc.integer({
        min: seconds(budget.fromMs),
        max: Math.max(seconds(budget.fromMs), seconds(budget.untilMs) - 1),
      }),
      kind: fc.constantFrom(...budget.kinds),
    })
    .chain(({ at, kind }) =>
      paramsOf(kind, budget).map((p): FaultEntryInput => ({ at: `${at}s`, kind, ...p })),
    );

/** A fault timeline within the budget: a shrinkable list of entries, kept within the concurrency budget. */
export const faultSchedule = (budget: FaultBudget): fc.Arbitrary<FaultEntryInput[]> =>
  fc
    .array(faultEntry(budget), { minLength: 0, maxLength: budget.maxFaults })
    .map((entries) => enforceConcurrency(entries, budget.maxConcurrent));

/** A small cluster as a scenario's `cluster` block: 3-12 nodes, 1-3 services of 2-5 replicas, one maybe stateful. */
export const cluster = (): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      nodes: fc.integer({ min: 3, max: 12 }),
      services: fc.array(
        fc.record({
          replicas: fc.integer({ min: 2, max: 5 }),
          capacityRps: fc.integer({ min: 100, max: 500 }),
          stateful: fc.option(fc.constantFrom('sync', 'async'), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(({ nodes, services }) => ({
      nodes: { count: nodes },
      services: services.map((s, i) => ({
        name: `svc-${i + 1}`,
        replicas: s.replicas,
        capacityRps: s.capacityRps,
        ...(s.stateful === undefined || i > 0 ? {} : { stateful: { replication: s.stateful } }),
      })),
    }));

/** A workload for a cluster block: each service offered 30-80 % of its capacity, constant or diurnal. */
export const workload = (clusterBlock: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>[]> => {
  const services = (clusterBlock.services ?? []) as {
    name: string;
    replicas: number;
    capacityRps: number;
    stateful?: unknown;
  }[];
  return fc.tuple(
    ...services.map((s) =>
      fc
        .record({
          load: fc.integer({ min: 30, max: 80 }),
          diurnal: fc.boolean(),
          writes: fc.integer({ min: 0, max: 50 }),
        })
        .map(({ load, diurnal, writes }) => ({
          service: s.name,
          rps: Math.round((s.replicas * s.capacityRps * load) / 100),
          shape: diurnal ? 'diurnal' : 'constant',
          ...(s.stateful === undefined ? {} : { writeRatio: `${writes}%` }),
        })),
    ),
  );
};
