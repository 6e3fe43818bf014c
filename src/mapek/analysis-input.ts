import type { NodeId, ServiceId } from '../cluster/ids.ts';
import type { NodeHistory } from './flapping.ts';
import type { MonitorSample } from './monitor.ts';
import type { FailureType } from './types.ts';

/** A failure the knowledge base already knows of, as far as analysis cares. */
export interface KnownFailure {
  readonly key: string;
  readonly type: FailureType;
  readonly component: string;
  readonly nodes: readonly NodeId[];
  readonly services: readonly ServiceId[];
}

/** Everything one analysis needs besides the monitor's sample. */
export interface AnalysisInput {
  readonly sample: MonitorSample;
  readonly nowMs: number;
  /**
   * k of the k-missed detector: a silent node whose host runs is declared partitioned after k misses, or
   * sooner once the cloud API's answer covers the moment it fell silent.
   */
  readonly missedHeartbeats: number;
  /** The heartbeat interval: nodes that fell silent within one interval of each other fell silent together. */
  readonly heartbeatIntervalMs: number;
  readonly known: readonly KnownFailure[];
  /**
   * Consecutive cycles each suspicion has lasted, by `service:<id>` (symptoms nothing explained) and
   * `node:<id>` (replicas standing out from their peers).
   */
  readonly streaks: ReadonlyMap<string, number>;
  /**
   * What knowledge remembers of a node's failures (flapping counts, quarantine, the loop's own power
   * cycles). Without it a `starting` host is taken as already being handled and nothing flaps.
   */
  readonly history?: (node: NodeId) => NodeHistory;
  /** Nodes kept out for flapping, looked at each cycle for readmission. */
  readonly quarantined?: ReadonlySet<NodeId>;
  /**
   * Services the loop sheds load from or holds to a retry budget, with the capacity measured while they
   * failed: looked at each cycle for the mitigation's rollback. A `bridge` (shedding while a scale-out starts)
   * may be lifted while the recovery that put it there is still in hand.
   */
  readonly mitigations?: ReadonlyMap<ServiceId, { readonly capacityRps: number; readonly bridge?: boolean }>;
}
