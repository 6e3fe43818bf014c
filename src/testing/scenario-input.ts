import type { FaultKind } from '../chaos/spec.ts';

/**
 * A scenario in file form: the plain object a YAML or JSON scenario file holds (durations as `30s`,
 * percentages as `99.9%`). What arbitraries generate and properties check, so every counterexample can be
 * written out as a scenario file as it is.
 */
export type ScenarioInput = Readonly<Record<string, unknown>>;

/** One fault of an explicit timeline, in file form: `{ at: 12s, kind: node-crash, target: node-3, duration: 40s }`. */
export type FaultEntryInput = Readonly<Record<string, unknown>> & {
  readonly at: string;
  readonly kind: FaultKind;
};

/**
 * The scenario with its faults replaced by `faults`: the cluster, workload, controller and SLOs stay; the
 * timeline and every `random:` generator go.
 */
export const withFaults = (base: ScenarioInput, faults: readonly FaultEntryInput[]): ScenarioInput => ({
  ...base,
  faults: [...faults],
});

/** The fault timeline of a scenario in file form (empty when it has none or only generators). */
export const faultsOf = (input: ScenarioInput): FaultEntryInput[] => {
  const faults = input.faults;
  if (!Array.isArray(faults)) return [];
  return faults.filter(
    (f): f is FaultEntryInput => f !== null && typeof f === 'object' && 'at' in f && 'kind' in f,
  );
};
