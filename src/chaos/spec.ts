import type { Millis } from '../base/duration.ts';
import type { PartitionDirection } from '../cluster/network.ts';

/** The fault kinds the catalog knows. */
export type FaultKind =
  | 'node-crash'
  | 'network-partition'
  | 'resource-exhaustion'
  | 'performance-degradation'
  | 'load-spike'
  | 'process-hang'
  | 'crash-loop'
  | 'bad-deploy'
  | 'process-memory-leak'
  | 'dependency-failure';

/** Every fault kind, in catalog order. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'node-crash',
  'network-partition',
  'resource-exhaustion',
  'performance-degradation',
  'load-spike',
  'process-hang',
  'crash-loop',
  'bad-deploy',
  'process-memory-leak',
  'dependency-failure',
];

/** How many nodes a randomly targeted fault hits. */
export type BlastRadius =
  | { readonly kind: 'one' }
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'percent'; readonly percent: number };

/**
 * Which nodes a fault hits, resolved when it is injected: named nodes, the node holding a stateful
 * service's primary (or one of its replicas) at that moment, or nodes drawn from the `chaos` stream.
 */
export type TargetSpec =
  | { readonly kind: 'nodes'; readonly nodes: readonly string[] }
  | { readonly kind: 'primary-of'; readonly service: string }
  | { readonly kind: 'replica-of'; readonly service: string }
  | { readonly kind: 'random'; readonly radius: BlastRadius }
  /** One replica by id (`replica:api-2`): process faults only. */
  | { readonly kind: 'replica'; readonly replica: string };

/** How many of a service's replicas a bad deploy reaches: a count, or a share of them (rounded up). */
export type ReplicaCount =
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'fraction'; readonly fraction: number };

/** A resource a `resource-exhaustion` fault exhausts. */
export type Resource = 'cpu' | 'memory' | 'disk';

/** The parameters of one fault, by kind. */
export type FaultParams =
  | {
      readonly kind: 'node-crash';
      readonly target: TargetSpec;
      /** The machine reboots by itself after this long; without it, it stays down until restarted. */
      readonly durationMs?: Millis;
    }
  | {
      readonly kind: 'network-partition';
      readonly split:
        | { readonly kind: 'groups'; readonly groups: readonly (readonly string[])[] }
        | { readonly kind: 'isolate'; readonly target: TargetSpec; readonly from?: readonly string[] };
      readonly direction: PartitionDirection;
      readonly durationMs: Millis;
    }
  | {
      readonly kind: 'resource-exhaustion';
      readonly target: TargetSpec;
      readonly resource: Resource;
      /** Fraction of the resource taken (cpu) or in use (memory, disk), 0..1. */
      readonly level: number;
      /** Memory only: growth per minute as a fraction of the node's memory, ramping to an OOM crash. */
      readonly leakPerMinute: number;
      readonly durationMs?: Millis;
    }
  | {
      readonly kind: 'performance-degradation';
      readonly target: TargetSpec;
      readonly latencyFactor: number;
      readonly capacityFactor: number;
      readonly durationMs?: Millis;
    }
  | {
      readonly kind: 'load-spike';
      /** Services whose offered load is multiplied; empty: every service. */
      readonly services: readonly string[];
      /** Multiplier on the offered load while the spike lasts (2: twice the load). */
      readonly factor: number;
      readonly durationMs: Millis;
    }
  // Process faults (src/chaos/process-faults.ts): their target resolves to replicas, not nodes.
  | {
      /** A replica's process stops answering (a deadlock); the node stays healthy. A restart cures it. */
      readonly kind: 'process-hang';
      readonly target: TargetSpec;
      readonly durationMs?: Millis;
    }
  | {
      /** A replica exits `exitAfterMs` after each start (a bad build or config); a restart does not cure it. */
      readonly kind: 'crash-loop';
      readonly target: TargetSpec;
      readonly exitAfterMs: Millis;
      /** Whether it comes with a new version of the replica (a rollback cures it), else a local cause. */
      readonly newVersion: boolean;
      readonly durationMs?: Millis;
    }
  | {
      /** A new version on some replicas of the target's service: slower, failing; a rollback cures it. */
      readonly kind: 'bad-deploy';
      /** The first replica it reaches; the next ones of its service follow up to `replicas`. */
      readonly target: TargetSpec;
      readonly replicas: ReplicaCount;
      readonly latencyFactor: number;
      /** Share of the requests the new version answers with an error, 0..1. */
      readonly errorRate: number;
      readonly durationMs?: Millis;
    }
  | {
      /** A replica's working set grows until its container's limit, where the OOM killer ends it. */
      readonly kind: 'process-memory-leak';
      readonly target: TargetSpec;
      /** Growth of the container's working set, MB per minute. */
      readonly mbPerMinute: number;
      /** Whether it comes with a new version of the replica (a rollback cures it). */
      readonly newVersion: boolean;
      readonly durationMs?: Millis;
    }
  | {
      readonly kind: 'dependency-failure';
      /** The caller and the callee of the failing call edge (the scenario's `calls` declare it). */
      readonly from: string;
      readonly to: string;
      /** Share of the edge's attempts that fail at once, before reaching the callee (0..1). */
      readonly errorRate: number;
      /** Latency added to every attempt on the edge, ms. */
      readonly latencyMs: number;
      readonly durationMs?: Millis;
    };

/** One fault on an explicit timeline. */
export type TimedFault = FaultParams & { readonly atMs: Millis };

/** A distribution of fault durations. */
export type DurationDistribution =
  | { readonly kind: 'fixed'; readonly ms: Millis }
  | { readonly kind: 'uniform'; readonly minMs: Millis; readonly maxMs: Millis }
  | { readonly kind: 'exponential'; readonly meanMs: Millis };

/** A seeded random fault generator: a Poisson process of faults drawn from the catalog. */
export interface RandomFaults {
  readonly fromMs: Millis;
  readonly untilMs?: Millis;
  readonly meanIntervalMs: Millis;
  /** Relative weight of each kind; kinds left out are never drawn. */
  readonly kinds: Readonly<Partial<Record<FaultKind, number>>>;
  readonly blastRadius: BlastRadius;
  /** Arrivals while this many generated faults are still active are skipped. */
  readonly maxConcurrent: number;
  readonly duration: DurationDistribution;
  /** Resource weights for generated `resource-exhaustion` faults. */
  readonly resources: Readonly<Partial<Record<Resource, number>>>;
}

/** A whole fault schedule: an explicit timeline, random generators, or both. */
export interface FaultSchedule {
  readonly timeline: readonly TimedFault[];
  readonly random: readonly RandomFaults[];
}

/** Defaults of the random generator, in one place for the schema, the docs and the code. */
export const RANDOM_FAULT_DEFAULTS = {
  fromMs: 0,
  maxConcurrent: 1,
  blastRadius: { kind: 'one' },
  duration: { kind: 'exponential', meanMs: 120_000 },
  resources: { cpu: 1, memory: 1, disk: 1 },
} as const;

/** Defaults of the process faults' parameters, for the schema, the random generator and the docs. */
export const PROCESS_FAULT_DEFAULTS = {
  /** A container that dies 10 s into each run: the crash-looping build of a bad config. */
  exitAfterMs: 10_000,
  latencyFactor: 1,
  errorRate: 0,
  replicas: { kind: 'count', count: 1 },
} as const;
