import type { RunResult } from '../scenario/runner.ts';

/** Why a resilience property failed, or could not be checked. */
export type PropertyFailureKind =
  /** The generated scenario is not a valid scenario: a bug in the arbitrary, not in the cluster. */
  | 'invalid-scenario'
  /** The run could not start (an unavailable policy, a world that cannot be built). */
  | 'run-failed'
  | 'slo-violated'
  | 'data-lost'
  | 'split-brain'
  | 'nondeterministic'
  | 'flapping'
  /** An online safety invariant broke during the run (see `RunOptions.checkInvariants`). */
  | 'invariant-violated';

/** The run behind each failure: kept beside the error, not on it (see {@link failedRun}). */
const runs = new WeakMap<PropertyFailure, RunResult>();

/**
 * A property that does not hold, thrown from a property's predicate so that fast-check (plain or through
 * `@fast-check/vitest`) reports its message with the counterexample and shrinks it. `kind` says which
 * property; {@link failedRun} gives the run that broke it, for a closer look.
 */
export class PropertyFailure extends Error {
  override readonly name = 'PropertyFailure';

  constructor(
    readonly kind: PropertyFailureKind,
    message: string,
    run: RunResult | null = null,
  ) {
    super(message);
    if (run !== null) runs.set(this, run);
  }
}

/**
 * The run that broke a property, when there was one. Not a property of the error: test runners serialise
 * everything they can reach from an error, and a whole run (trace, ledger, knowledge) would bury the message.
 */
export const failedRun = (failure: PropertyFailure): RunResult | null => runs.get(failure) ?? null;
