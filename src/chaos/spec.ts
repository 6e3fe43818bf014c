import type { Millis } from '../base/duration.ts';
import type { PartitionDirection } from '../cluster/network.ts';

/** The fault kinds the catalog knows. */
export type FaultKind =
  | 'node-crash'
  | 'network-partition'
  | 'resource-exhaustion'
  | 'performance-degradation'
  | 'load-spike'
  | 'dependency-failure';

/** Every fault kind, in catalog order. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'node-crash',
  'network-partition',
  'resource-exhaustion',
  'performance-degradation',
  'load-spike',
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
  | { readonly kind: 'random'; readonly radius: BlastRadius };

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
