/**
 * How the loop tells a flapping node, as data: `threshold` failures of one node within `windowMs` make it
 * flapping; a node kept out for flapping comes back once it has not failed for `quietMs`; a power cycle the
 * loop ordered explains the node's `starting` for `ownRebootMs` (longer than any boot it expects), and no
 * other `starting` is trusted. An operator's rule of thumb (three strikes in ten minutes, ten quiet minutes
 * before readmission), as PagerDuty-style flap detection and Kubernetes' CrashLoopBackOff reset use.
 */
export const FLAPPING = {
  threshold: 3,
  windowMs: 600_000,
  quietMs: 600_000,
  ownRebootMs: 180_000,
} as const;

/** What knowledge knows of one node's recent failures, for the analysis. */
export interface NodeHistory {
  /** Failures seen within the flapping window. */
  readonly recentFailures: number;
  /** When it was last seen going down (undefined: never). */
  readonly lastFailureMs: number | undefined;
  /** Whether it is kept out for flapping (cordoned and drained by a `quarantine-node` recovery). */
  readonly quarantined: boolean;
  /** Whether its current `starting` is a power cycle the loop ordered itself. */
  readonly rebootedByLoop: boolean;
}
