import type { NodeId } from '../cluster/ids.ts';
import type { MakeFailure } from './failure-factory.ts';
import type { DetectedFailure } from './types.ts';

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

/**
 * Nodes kept out for flapping: held while they fail (so each cycle looks at them), let back once they have
 * stayed up and quiet for `FLAPPING.quietMs`. Both are the loop's own decisions, keyed by decision and node.
 */
export const reviewQuarantine = (
  quarantined: Iterable<NodeId>,
  silentNodes: ReadonlySet<NodeId>,
  history: ((node: NodeId) => NodeHistory) | undefined,
  nowMs: number,
  make: MakeFailure,
): DetectedFailure[] => {
  const failures: DetectedFailure[] = [];
  for (const node of quarantined) {
    const last = history?.(node).lastFailureMs;
    const quiet = !silentNodes.has(node) && (last === undefined || nowMs - last >= FLAPPING.quietMs);
    const cause = quiet ? 'readmit' : 'kept-out';
    const why = quiet
      ? `${node} has stayed up without failing for ${FLAPPING.quietMs / 60_000} min since it was kept out for flapping`
      : `${node} is kept out for flapping until it has stayed up for ${FLAPPING.quietMs / 60_000} min`;
    failures.push({ ...make('NodeCrash', node, [node], cause, why, []), key: `${cause}:${node}` });
  }
  return failures;
};
