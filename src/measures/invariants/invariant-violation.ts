import type { ReplicaId, ServiceId } from '../../cluster/ids.ts';

/** The safety invariants the online checker judges a run by (ground truth, never the loop's view). */
export type InvariantName =
  | 'two-writable-primaries'
  | 'acknowledged-write-lost'
  | 'traffic-to-removed-replica'
  | 'traffic-to-dead-replica'
  | 'minority-promotion';

/** One broken invariant: when it broke (sim ms), which one, and the objects it broke on. */
export interface InvariantViolation {
  readonly invariant: InvariantName;
  /** The simulated instant the invariant stopped holding. */
  readonly atMs: number;
  readonly service: ServiceId;
  /** The replicas involved: both primaries, the new primary, or the replica that got traffic. */
  readonly replicas: readonly ReplicaId[];
  /** Acknowledged writes lost (`acknowledged-write-lost` only; 0 otherwise). */
  readonly lostWrites: number;
  /** One line for a person: the instant, the invariant and the objects. */
  readonly message: string;
}
