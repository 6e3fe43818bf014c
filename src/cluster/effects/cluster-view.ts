import { err, ok, type Result } from '../../base/result.ts';
import type { ActionFailure } from '../actions.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from '../runtime/records.ts';
import type { ClusterSpec } from '../spec.ts';

/**
 * What resolving an action may read of the cluster. The `Cluster` facade is one; a test can build a cluster
 * without a world and resolve against it.
 */
export interface ClusterView {
  readonly spec: ClusterSpec;
  readonly nowMs: number;
  readonly nodes: readonly NodeRuntime[];
  readonly network: {
    controlLinked(node: number): boolean;
    connected(a: number, b: number): boolean;
  };
  node(id: string): NodeRuntime | undefined;
  service(id: string): ServiceRuntime | undefined;
  replica(id: string): Replica | undefined;
  /** A replica by id, deleted ones included (their records keep their last state). */
  replicaRecord(id: string): Replica | undefined;
  controlReachable(r: Replica): boolean;
  logPosition(r: Replica): number;
  /**
   * Brings a service's counters up to now before its log positions are compared. Integration only: no rate,
   * role or membership changes; done where it always was so that floating-point sums stay as they were.
   */
  fold(s: ServiceRuntime): void;
}

/** A node by id, or the typed failure a request naming an unknown one gets. */
export const nodeOf = (view: ClusterView, id: string): Result<NodeRuntime, ActionFailure> => {
  const n = view.node(id);
  return n === undefined ? err({ kind: 'unknown-target', target: id }) : ok(n);
};

/** A service by id, or the typed failure. */
export const serviceOf = (view: ClusterView, id: string): Result<ServiceRuntime, ActionFailure> => {
  const s = view.service(id);
  return s === undefined ? err({ kind: 'unknown-target', target: id }) : ok(s);
};

/** A live replica by id, or the typed failure. */
export const replicaOf = (view: ClusterView, id: string): Result<Replica, ActionFailure> => {
  const r = view.replica(id);
  return r === undefined || r.state === 'removed' ? err({ kind: 'unknown-target', target: id }) : ok(r);
};
