import fc from 'fast-check';
import { formatDuration } from '../base/duration.ts';
import { FAULT_KINDS } from '../chaos/spec.ts';
import { nodeIdOf } from '../cluster/ids.ts';
import { faultSchedule } from './fault-arbitraries.ts';
import type { FaultBudget } from './fault-budget.ts';
import { type ScenarioInput, withFaults } from './scenario-input.ts';

/** A service of a generated cluster, in file form. */
export interface ServiceInput {
  readonly name: string;
  readonly replicas: number;
  readonly capacityRps: number;
  readonly stateful?: {
    readonly replication: 'sync' | 'async' | { readonly mode: 'quorum'; readonly acks: number };
  };
}

/** A generated `cluster` block, in file form. */
export interface ClusterInput {
  readonly nodes: { readonly count: number };
  readonly services: readonly ServiceInput[];
}

/** A generated `workload` entry, in file form. */
export interface WorkloadInput {
  readonly service: string;
  readonly rps: number;
  readonly shape: 'constant' | 'diurnal';
  readonly writeRatio?: string;
}

/**
 * A small cluster as a scenario's `cluster` block: 3 to 12 nodes, 1 to 3 services (`svc-1`...) of 2 to 5
 * replicas each; the first may be stateful, with sync, async or quorum replication (a quorum of acks from a
 * majority up to every replica, or every replica but `spareReplicas`). Shrinks towards 3 nodes and one stateless service of 2 replicas.
 */
export const cluster = (options: WorkloadOptions = {}): fc.Arbitrary<ClusterInput> =>
  fc
    .record({
      nodes: fc.integer({ min: 3, max: 12 }),
      services: fc.array(
        fc.record({
          replicas: fc.integer({ min: 2, max: 5 }),
          capacityRps: fc.integer({ min: 100, max: 500 }),
          stateful: fc.option(fc.constantFrom('sync' as const, 'async' as const, 'quorum' as const), {
            nil: undefined,
          }),
          // Acks beyond a majority, for quorum (shrinks to a bare majority).
          extraAcks: fc.nat({ max: 4 }),
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
        ...(s.stateful === undefined || i > 0
          ? {}
          : {
              stateful: {
                replication: replicationOf(s.stateful, s.replicas, s.extraAcks, options.spareReplicas ?? 0),
              },
            }),
      })),
    }));

/**
 * A drawn replication mode in file form: quorum with `extraAcks` acks past a majority, but no more than the
 * replicas left once `spare` are lost (else losing them would stop every write), and never under a majority.
 */
const replicationOf = (
  mode: 'sync' | 'async' | 'quorum',
  replicas: number,
  extraAcks: number,
  spare: number,
): NonNullable<ServiceInput['stateful']>['replication'] => {
  if (mode !== 'quorum') return mode;
  const majority = Math.floor(replicas / 2) + 1;
  return { mode, acks: Math.max(majority, Math.min(replicas - spare, majority + extraAcks)) };
};

/** Options of {@link workload}. */
export interface WorkloadOptions {
  /**
   * Replicas of each service that may be lost while the load still fits (default 0): with 1, each service
   * is offered 30 to 80 % of what its replicas but one can serve, so one node down is within the redundancy
   * budget.
   */
  readonly spareReplicas?: number;
}

/**
 * The load `replicas` replicas of `capacityRps` carry when `writes` of it are writes: the reads spread over
 * them all, the writes all go to the primary, so the primary's share fills first.
 */
const fittingRps = (capacityRps: number, replicas: number, writes: number): number =>
  capacityRps / (writes + (1 - writes) / replicas);

/**
 * A workload for a cluster block: each service offered 30 to 80 % of its capacity (less the spare replicas;
 * for a stateful service, of what its primary can take with every write besides its share of the reads),
 * constant or diurnal; a stateful service gets 0 to 50 % writes. Shrinks towards 30 %, constant, no writes.
 */
export const workload = (
  clusterBlock: ClusterInput,
  options: WorkloadOptions = {},
): fc.Arbitrary<WorkloadInput[]> =>
  fc.tuple(
    ...clusterBlock.services.map((s) =>
      fc
        .record({
          load: fc.integer({ min: 30, max: 80 }),
          diurnal: fc.boolean(),
          writes: fc.integer({ min: 0, max: 50 }),
        })
        .map(
          ({ load, diurnal, writes }): WorkloadInput => ({
            service: s.name,
            rps: Math.max(
              1,
              Math.round(
                fittingRps(
                  s.capacityRps,
                  Math.max(1, s.replicas - (options.spareReplicas ?? 0)),
                  s.stateful === undefined ? 0 : writes / 100,
                ) *
                  (load / 100),
              ),
            ),
            shape: diurnal ? 'diurnal' : 'constant',
            ...(s.stateful === undefined ? {} : { writeRatio: `${writes}%` }),
          }),
        ),
    ),
  );

/** The budget random scenarios draw their faults from, for a cluster of `nodes` nodes over `durationMs`. */
export const defaultBudget = (clusterBlock: ClusterInput, durationMs: number): FaultBudget => ({
  nodes: Array.from({ length: clusterBlock.nodes.count }, (_, i) => nodeIdOf(i + 1) as string),
  statefulServices: clusterBlock.services.filter((s) => s.stateful !== undefined).map((s) => s.name),
  replicatedServices: clusterBlock.services.map((s) => s.name),
  // Generated clusters declare no calls: a dependency failure would have no edge to hit.
  kinds: FAULT_KINDS.filter((k) => k !== 'dependency-failure'),
  fromMs: 0,
  untilMs: durationMs,
  maxFaults: 4,
  maxConcurrent: 2,
  maxBlastRadius: 2,
  minDurationMs: 10_000,
  maxDurationMs: 180_000,
  crashRebootMs: 45_000,
});

/** Options of {@link scenario}. */
export interface ScenarioOptions extends WorkloadOptions {
  /** Simulated time each scenario runs (default 10 minutes). */
  readonly durationMs?: number;
  /** The controller (default `mapek`). */
  readonly policy?: string;
  /** Changes to the fault budget {@link defaultBudget} gives for the generated cluster. */
  readonly budget?: Partial<FaultBudget>;
}

/**
 * A whole random scenario in file form: a cluster, a workload for it, a fault schedule drawn from its
 * topology (by default up to 4 faults of any kind, 2 at once, on up to 2 nodes), a seed, and a controller.
 * No SLOs: add the ones a property needs.
 */
export const scenario = (options: ScenarioOptions = {}): fc.Arbitrary<ScenarioInput> => {
  const durationMs = options.durationMs ?? 600_000;
  return cluster(options).chain((c) =>
    fc
      .record({
        workload: workload(c, options),
        faults: faultSchedule({ ...defaultBudget(c, durationMs), ...options.budget }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      })
      .map(
        ({ workload: w, faults, seed }): ScenarioInput => ({
          name: 'generated',
          seed,
          duration: formatDuration(durationMs),
          cluster: c,
          workload: w,
          controller: { policy: options.policy ?? 'mapek' },
          faults,
        }),
      ),
  );
};

/**
 * A scenario (in file form, as a loader's `input` gives it) with its faults replaced by a schedule within the
 * budget: its cluster, workload, controller and SLOs stay.
 */
export const scenarioWithFaults = (base: ScenarioInput, budget: FaultBudget): fc.Arbitrary<ScenarioInput> =>
  faultSchedule(budget).map((faults) => withFaults(base, faults));
