import type { FaultRecord } from '../../chaos/ground-truth.ts';
import type { FaultKind } from '../../chaos/spec.ts';
import type { ModelTimings } from '../../world/controller.ts';

/** What the oracle knows of one target node of a fault as it lands. */
export interface LandedOn {
  readonly record: FaultRecord;
  /** Whether the control plane still reaches the node (a ping): the plans differ on it. */
  readonly reachable: boolean;
}

/** How one fault kind recovers on one node: by the oracle's remedy, or by itself at the end of its duration. */
interface Recovery {
  /** When the oracle's remedy has the service back, from the fault's landing; undefined: nothing to weigh. */
  readonly remedyMs: (t: ModelTimings, on: LandedOn) => number | undefined;
  /** When the service is back if the fault is left to end by itself `durationMs` after landing. */
  readonly selfClearMs: (t: ModelTimings, on: LandedOn, durationMs: number) => number;
}

/**
 * The health checks' readmission of a replica back from a partition: `healthyThreshold` passed checks, the first
 * within an interval, taken at its earliest (`healthyThreshold - 1` intervals).
 */
const readmitMs = (t: ModelTimings): number =>
  (t.loadBalancer.healthyThreshold - 1) * t.loadBalancer.healthCheckIntervalMs;

/**
 * A move's first effect: the failing replicas leave the rotation the instant it starts (break-before-make), so
 * a service with a spare replica's worth of capacity is back at once, before any replacement has started.
 */
const TAKE_OUT_MS = 0;

const detailNumber = (record: FaultRecord, key: string): number | undefined => {
  const v = record.detail[key];
  return typeof v === 'number' ? v : undefined;
};

/** Which resources the oracle remedies and how fast; a leak is evacuated before it hurts (nothing to weigh). */
const RESOURCE_REMEDY_MS: Readonly<Record<string, (t: ModelTimings) => number | undefined>> = {
  disk: (t) => t.effectors.raiseLimitMs,
  cpu: () => TAKE_OUT_MS,
  memory: () => undefined,
};

/**
 * Per kind, what the oracle weighs (docs/policies.md, "The oracle fence"). Moving replicas off a crashed,
 * cut-off, hogged or slowed node takes them out of rotation at once, sooner than any such fault can end by
 * itself, so those are never waited out; a crash that ends must also reboot. What can be waited out is a fault
 * whose remedy takes time of its own: a full disk shorter than `raise-limit`, a cut between a primary and its
 * peers shorter than a promotion.
 */
const RECOVERY: { readonly [K in FaultKind]: Recovery } = {
  'node-crash': {
    remedyMs: () => TAKE_OUT_MS,
    selfClearMs: (t, _on, d) => d + t.effectors.nodeBootMs + t.effectors.replicaStartMs + readmitMs(t),
  },
  // Cut off from the control plane: replaced elsewhere; cut off from its peers only: a promotion away.
  'network-partition': {
    remedyMs: (t, on) => (on.reachable ? t.effectors.promoteMs : TAKE_OUT_MS),
    selfClearMs: (t, on, d) => (on.reachable ? d : d + readmitMs(t)),
  },
  // Exhausted to death (an OOM crash: unreachable at once) stays down when the effect ends: never waited out.
  'resource-exhaustion': {
    remedyMs: (t, on) => {
      const resource = on.record.detail.resource;
      if (!on.reachable) return TAKE_OUT_MS;
      return typeof resource === 'string' ? RESOURCE_REMEDY_MS[resource]?.(t) : undefined;
    },
    selfClearMs: (_t, on, d) => (on.reachable ? d : Number.POSITIVE_INFINITY),
  },
  'performance-degradation': {
    // Only a slow-down that lost capacity is acted on at once; a milder one is evacuated make-before-break.
    remedyMs: (_t, on) => ((detailNumber(on.record, 'capacityFactor') ?? 1) < 1 ? TAKE_OUT_MS : undefined),
    selfClearMs: (_t, _on, d) => d,
  },
  'load-spike': { remedyMs: () => undefined, selfClearMs: (_t, _on, d) => d },
  // Process faults are answered per replica (process-faults.ts) and never waited out: nothing to weigh.
  'process-hang': { remedyMs: () => undefined, selfClearMs: (_t, _on, d) => d },
  'crash-loop': { remedyMs: () => undefined, selfClearMs: (_t, _on, d) => d },
  'bad-deploy': { remedyMs: () => undefined, selfClearMs: (_t, _on, d) => d },
  'process-memory-leak': { remedyMs: () => undefined, selfClearMs: (_t, _on, d) => d },
  // Holds no node: the oracle's answer (a circuit opened at once, src/policies/oracle/dependency.ts) is not weighed.
  'dependency-failure': { remedyMs: () => undefined, selfClearMs: (_t, _on, d) => d },
};

/**
 * Whether the oracle should leave a fault alone: it ends by itself (ground truth knows its duration) and the
 * service is back from that no later than the remedy would have it back, by the model's own timings. A fault
 * without a duration is never waited out. The take-out's instant effect assumes the other replicas can carry
 * the load (the oracle does not compute service levels): on a cluster without that headroom, a fault shorter
 * than a replacement's start would be better waited out, and the oracle still acts.
 */
export const waitsOut = (on: LandedOn, timings: ModelTimings): boolean => {
  const durationMs = detailNumber(on.record, 'durationMs');
  if (durationMs === undefined) return false;
  const row = RECOVERY[on.record.kind];
  const remedy = row.remedyMs(timings, on);
  return remedy !== undefined && row.selfClearMs(timings, on, durationMs) <= remedy;
};
