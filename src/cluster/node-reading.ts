import type { NodeId } from './ids.ts';
import type { Mutable } from './runtime/ownership.ts';

/** A node's last scrape. `reachable` is false when the last scrape attempt failed. */
export interface NodeReading {
  readonly node: NodeId;
  readonly reachable: boolean;
  /** When the last successful scrape happened; -1 if never. */
  readonly scrapedAtMs: number;
  /** When the last scrape was attempted (Prometheus records a failed one as `up == 0`); -1 if never. */
  readonly attemptedAtMs: number;
  /** CPU in use on the node, all of it, 0..1. */
  readonly cpu: number;
  /** CPU in use outside the replicas (system and other processes), 0..1. */
  readonly cpuOther: number;
  readonly memory: number;
  readonly disk: number;
}

/**
 * A fresh node reading before anything is known of it, for a reader to fill in place. A literal, not a spread
 * of a shared one: V8 gives a spread's copy untyped fields, so each number stored in one would be a new heap
 * number.
 */
export const emptyReading = (): Mutable<NodeReading> => ({
  node: '' as NodeId,
  reachable: false,
  scrapedAtMs: -1,
  attemptedAtMs: -1,
  cpu: 0,
  cpuOther: 0,
  memory: 0,
  disk: 0,
});

/** A node reading before anything is known of it. */
export const EMPTY_READING: NodeReading = emptyReading();
