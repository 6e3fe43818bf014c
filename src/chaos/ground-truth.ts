import type { NodeId } from '../cluster/ids.ts';
import type { FaultKind } from './spec.ts';

/** A fault's logical id: `f1`, `f2`... in injection order. */
export type FaultId = string & { readonly __brand: 'FaultId' };

/**
 * What really happened, kept for measurement only: controllers never see these records (the oracle
 * baseline is the one declared exception).
 */
export interface FaultRecord {
  readonly id: FaultId;
  readonly kind: FaultKind;
  readonly origin: 'timeline' | 'random';
  /** Nodes the fault hit, resolved at injection. */
  readonly targets: readonly NodeId[];
  /** Replicas and services placed on the targets at injection: a detection naming one of them names the fault. */
  readonly components: readonly string[];
  /** The resolved parameters, for the journal. */
  readonly detail: Readonly<Record<string, unknown>>;
  readonly injectedAtMs: number;
  /** When the fault's own condition ended (healed, expired, repaired); null while active. */
  clearedAtMs: number | null;
}

/** A fault that could not be injected (its target did not exist at that moment). */
export interface SkippedFault {
  readonly kind: FaultKind;
  readonly atMs: number;
  readonly reason: string;
}
