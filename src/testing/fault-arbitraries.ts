import fc from 'fast-check';
import type { FaultKind, Resource } from '../chaos/spec.ts';
import type { FaultBudget } from './fault-budget.ts';
import { type PlannedFault, withinBudget } from './planned-fault.ts';
import type { FaultEntryInput } from './scenario-input.ts';
import { timeText } from './time-text.ts';

/** What a fault hits: the `target` (or `isolate`) value in file form, and the nodes it names. */
interface Target {
  readonly value: string | readonly string[];
  readonly nodes: readonly string[] | null;
}

/** A fault's kind-specific fields (target included), without `at` and `duration`. */
interface FaultBody {
  readonly kind: FaultKind;
  readonly nodes: readonly string[] | null;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * Targets drawn from the topology: named nodes (most often; they shrink towards fewer nodes), the primary of
 * a stateful service, or a replica of a replicated one (both resolved when the fault lands).
 */
const target = (budget: FaultBudget): fc.Arbitrary<Target> => {
  const named = fc
    .subarray([...budget.nodes], { minLength: 1, maxLength: Math.max(1, budget.maxBlastRadius) })
    .map((nodes): Target => {
      // One node reads as `target: node-3`, several as a list.
      const [only] = nodes;
      return { value: nodes.length === 1 && only !== undefined ? only : nodes, nodes };
    });
  const byRole = (role: 'primary-of' | 'replica-of', services: readonly string[] | undefined) =>
    services === undefined || services.length === 0
      ? []
      : [
          {
            arbitrary: fc
              .constantFrom(...services)
              .map((s): Target => ({ value: `${role}:${s}`, nodes: null })),
            weight: 1,
          },
        ];
  return fc.oneof(
    { arbitrary: named, weight: 4 },
    ...byRole('primary-of', budget.statefulServices),
    ...byRole('replica-of', budget.replicatedServices),
  );
};

const percent = (p: number) => `${p}%`;

/** Resource exhaustion per resource, each shrinking towards its mildest level (ranges as the random generator's). */
const RESOURCE_FIELDS: { readonly [R in Resource]: fc.Arbitrary<Record<string, unknown>> } = {
  cpu: fc.integer({ min: 80, max: 97 }).map((l) => ({ resource: 'cpu', level: percent(l) })),
  memory: fc.integer({ min: 10, max: 30 }).map((l) => ({ resource: 'memory', leak: percent(l) })),
  disk: fc.integer({ min: 99, max: 100 }).map((l) => ({ resource: 'disk', level: percent(l) })),
};

const body = (kind: FaultKind, t: Target, fields: Record<string, unknown>): FaultBody => ({
  kind,
  nodes: t.nodes,
  fields,
});

/** Each kind's fields, as data: adding a fault kind to the catalog means adding a row here. */
const KIND_BODIES: { readonly [K in FaultKind]: (budget: FaultBudget) => fc.Arbitrary<FaultBody> } = {
  'node-crash': (budget) => target(budget).map((t) => body('node-crash', t, { target: t.value })),
  'network-partition': (budget) =>
    fc
      .record({ t: target(budget), direction: fc.constantFrom(...(budget.partitionDirections ?? ['both'])) })
      .map(({ t, direction }) =>
        body('network-partition', t, { isolate: t.value, ...(direction === 'both' ? {} : { direction }) }),
      ),
  'resource-exhaustion': (budget) =>
    fc
      .record({
        t: target(budget),
        resource: fc.oneof(
          ...(budget.resources ?? (['cpu', 'memory', 'disk'] as const)).map((r) => RESOURCE_FIELDS[r]),
        ),
      })
      .map(({ t, resource }) => body('resource-exhaustion', t, { target: t.value, ...resource })),
  'performance-degradation': (budget) =>
    fc
      .record({
        t: target(budget),
        latencyFactor: fc.integer({ min: 2, max: 8 }),
        // Shrinks towards 80 % of capacity left: the mildest slowdown the random generator draws.
        capacityLost: fc.integer({ min: 20, max: 70 }),
      })
      .map(({ t, latencyFactor, capacityLost }) =>
        body('performance-degradation', t, {
          target: t.value,
          latencyFactor,
          capacityFactor: percent(100 - capacityLost),
        }),
      ),
  // Every service (no `services` field), 1.5x to 3x as the random generator draws; it holds no node.
  // Shrinks towards the mildest spike.
  'load-spike': () =>
    fc
      .integer({ min: 15, max: 30 })
      .map((tenths): FaultBody => ({ kind: 'load-spike', nodes: [], fields: { factor: tenths / 10 } })),
  // Process faults land in one replica on the target (a node: one of its replicas); ranges as the random
  // generator's, each shrinking towards its mildest value.
  'process-hang': (budget) => target(budget).map((t) => body('process-hang', t, { target: t.value })),
  'crash-loop': (budget) =>
    fc
      .record({ t: target(budget), exitS: fc.integer({ min: 5, max: 60 }).map((s) => 65 - s) })
      .map(({ t, exitS }) => body('crash-loop', t, { target: t.value, exitAfter: `${exitS}s` })),
  'bad-deploy': (budget) =>
    fc
      .record({
        t: target(budget),
        latencyFactor: fc.integer({ min: 2, max: 6 }),
        errorPercent: fc.integer({ min: 5, max: 50 }),
      })
      .map(({ t, latencyFactor, errorPercent }) =>
        body('bad-deploy', t, { target: t.value, latencyFactor, errorRate: percent(errorPercent) }),
      ),
  'process-memory-leak': (budget) =>
    fc
      .integer({ min: 19, max: 96 })
      .chain((mb) =>
        target(budget).map((t) => body('process-memory-leak', t, { target: t.value, mbPerMinute: mb })),
      ),
  // One declared edge, failing 50 % to 100 % of its attempts or slowed by 0.5 s to 5 s, as the random
  // generator draws; it holds no node. Shrinks towards the first edge and the mildest failure.
  'dependency-failure': (budget) =>
    fc
      .record({
        edge: fc.constantFrom(...(budget.callEdges ?? [['', ''] as const])),
        errors: fc.boolean(),
        errorRate: fc.integer({ min: 50, max: 100 }),
        latencyMs: fc.integer({ min: 500, max: 5_000 }),
      })
      .map(
        ({ edge, errors, errorRate, latencyMs }): FaultBody => ({
          kind: 'dependency-failure',
          nodes: [],
          fields: {
            from: edge[0],
            to: edge[1],
            ...(errors ? { errorRate: percent(errorRate) } : { latency: `${latencyMs}ms` }),
          },
        }),
      ),
};

const seconds = (ms: number) => Math.floor(ms / 1_000);

/** One fault within the budget, before its concurrency limits apply. */
const plannedFault = (budget: FaultBudget): fc.Arbitrary<PlannedFault> => {
  const fromS = Math.ceil(budget.fromMs / 1_000);
  const minS = Math.max(1, seconds(budget.minDurationMs));
  return fc
    .record({
      // Kinds are tried in the budget's order first when shrinking; times and durations towards the smallest.
      body: fc.oneof(...budget.kinds.map((k) => KIND_BODIES[k](budget))),
      atS: fc.integer({ min: fromS, max: Math.max(fromS, Math.ceil(budget.untilMs / 1_000) - 1) }),
      durationS: fc.integer({ min: minS, max: Math.max(minS, seconds(budget.maxDurationMs)) }),
    })
    .map(({ body: b, atS, durationS }) => ({
      atS,
      durationS,
      kind: b.kind,
      nodes: b.nodes,
      entry: {
        at: timeText(atS * 1_000),
        kind: b.kind,
        ...b.fields,
        duration: timeText(durationS * 1_000),
      },
    }));
};

/** One fault entry within the budget, in file form. */
export const faultEntry = (budget: FaultBudget): fc.Arbitrary<FaultEntryInput> =>
  plannedFault(budget).map((p) => p.entry);

/**
 * A fault timeline within the budget, in file form and in time order. A shrinkable list: fast-check removes
 * faults first, then moves each earlier, makes it shorter, hit fewer nodes and milder. Faults that would break
 * the concurrency limits are dropped (see {@link FaultBudget.maxConcurrent}).
 */
export const faultSchedule = (budget: FaultBudget): fc.Arbitrary<FaultEntryInput[]> => {
  if (budget.kinds.length === 0) return fc.constant([]);
  return fc
    .array(plannedFault(budget), { minLength: budget.minFaults ?? 0, maxLength: budget.maxFaults })
    .map((planned) => withinBudget(planned, budget).map((p) => p.entry));
};
