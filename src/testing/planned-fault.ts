import type { FaultKind } from '../chaos/spec.ts';
import type { FaultBudget } from './fault-budget.ts';
import type { FaultEntryInput } from './scenario-input.ts';

/** A generated fault before the budget's limits apply: its timing in whole seconds and what it hits. */
export interface PlannedFault {
  readonly atS: number;
  readonly durationS: number;
  readonly kind: FaultKind;
  /** Nodes it names, or null for a target resolved when it lands (`primary-of:`, `replica-of:`). */
  readonly nodes: readonly string[] | null;
  /** The timeline entry, in file form. */
  readonly entry: FaultEntryInput;
}

/** When the fault stops being in effect: the end of its duration, and for a crash the reboot after it. */
const endOf = (f: PlannedFault, budget: FaultBudget): number =>
  f.atS * 1_000 + f.durationS * 1_000 + (f.kind === 'node-crash' ? (budget.crashRebootMs ?? 0) : 0);

/**
 * Keeps a schedule within the budget's concurrency: walks the faults in time order and drops any that would
 * put more than `maxConcurrent` in effect at once, or hit a node a fault still in effect names (as the random
 * generator avoids nodes already under a fault). A map over the generated list rather than a filter in the
 * arbitrary, so fast-check still shrinks the underlying list: a dropped fault costs nothing and is the first
 * thing shrinking removes.
 */
export const withinBudget = (planned: readonly PlannedFault[], budget: FaultBudget): PlannedFault[] => {
  // Stable sort: faults landing at the same second keep the order they were generated in.
  const sorted = [...planned].sort((a, b) => a.atS - b.atS);
  const kept: PlannedFault[] = [];
  for (const f of sorted) {
    const start = f.atS * 1_000;
    const active = kept.filter((k) => endOf(k, budget) > start);
    if (active.length >= budget.maxConcurrent) continue;
    const busy = new Set(active.flatMap((k) => k.nodes ?? []));
    if (f.nodes?.some((n) => busy.has(n)) === true) continue;
    kept.push(f);
  }
  return kept;
};
