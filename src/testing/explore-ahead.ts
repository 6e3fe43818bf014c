import type { ControllerModuleRef } from '../controllers/controller-module.ts';
import { poolExecutor } from '../sweep/pool-executor.ts';
import type { SweepRun } from '../sweep/sweep-job.ts';
import type { WorkerPool } from '../sweep/worker-pool.ts';
import type { ExploreOptions, ExplorePhase, ExploreResult } from './explore.ts';
import { caseFails, resultOf, searchOnce } from './explore.ts';
import { parseCase } from './run-case.ts';
import type { ScenarioInput } from './scenario-input.ts';

/** Options of {@link exploreAhead}. */
export interface ExploreAheadOptions extends ExploreOptions {
  /** Judges schedules, as many at once as it can: on a pool of workers, say. */
  readonly evaluate: (inputs: readonly ScenarioInput[]) => Promise<readonly Verdict[]>;
  /** Schedules judged ahead in one round while searching (shrinking judges `shrinkAhead`). */
  readonly searchAhead: number;
  readonly shrinkAhead: number;
  /**
   * Shrink in parallel only when a run takes at least this long (wall ms, the mean so far); shorter runs
   * shrink here, one after the other, in a last pass: a round's replay and messages would cost more.
   */
  readonly shrinkParallelMs: number;
  /** Asked between rounds: true stops the search with an {@link ExploreStopped} (Ctrl-C). */
  readonly stopped?: () => boolean;
}

/** A search stopped between two rounds (see `ExploreAheadOptions.stopped`): nothing was found yet. */
export class ExploreStopped extends Error {
  constructor(readonly runs: number) {
    super(`the search was stopped after ${runs} runs`);
    this.name = 'ExploreStopped';
  }
}

/** A judged schedule: whether its run fails, and how long the run took (wall ms). */
export interface Verdict {
  readonly fails: boolean;
  readonly wallMs: number;
}

/** A schedule's identity: arbitraries build plain data in a fixed key order, so its JSON names it. */
const keyOf = (input: ScenarioInput): string => JSON.stringify(input);

/**
 * {@link explore} with the runs judged in parallel, and the same answer: fast-check's search and shrinking
 * are sequential (each step decided by the verdict before), so each round replays fast-check over the
 * verdicts known so far and, at the first schedule not yet judged, goes on as if it passed, collecting the
 * schedules fast-check would try next in that case: the next candidates of the search, or the next
 * shrinks of the current counterexample. Those are judged together; a round that meets no unjudged
 * schedule is the sequential search itself, verdict for verdict. A guess that a schedule passes costs at
 * most the runs of one round when it fails instead.
 */
export const exploreAhead = async (
  base: ScenarioInput,
  options: ExploreAheadOptions,
): Promise<ExploreResult> => {
  const { onRun, ...rest } = options;
  const verdicts = new Map<string, boolean>();
  const judged: Record<ExplorePhase, number> = { search: 0, shrink: 0 };
  let spentMs = 0;
  for (;;) {
    const meanMs = verdicts.size === 0 ? Number.POSITIVE_INFINITY : spentMs / verdicts.size;
    const misses: ScenarioInput[] = [];
    const missed = new Set<string>();
    let missPhase: ExplorePhase = 'search';
    const pass = searchOnce(base, rest, (input, phase) => {
      const key = keyOf(input);
      const known = verdicts.get(key);
      if (known !== undefined) return known;
      if (phase === 'shrink' && meanMs < options.shrinkParallelMs) {
        // Short runs: the rest of this pass is the sequential search itself.
        const fails = caseFails(input);
        verdicts.set(key, fails);
        onRun?.(phase, ++judged[phase]);
        return fails;
      }
      if (misses.length === 0) missPhase = phase;
      const limit = missPhase === 'search' ? options.searchAhead : options.shrinkAhead;
      if (misses.length < limit && !missed.has(key)) {
        misses.push(input);
        missed.add(key);
      }
      // A guess: fast-check goes on as if this schedule passed, which is where it goes if it does.
      return false;
    });
    if (misses.length === 0) return resultOf(pass);
    // A turn of the event loop between rounds, so a signal handler can run even when rounds run here.
    await new Promise((next) => setImmediate(next));
    if (options.stopped?.() === true) throw new ExploreStopped(judged.search + judged.shrink);
    const found = await options.evaluate(misses);
    if (options.stopped?.() === true) throw new ExploreStopped(judged.search + judged.shrink);
    for (const [i, input] of misses.entries()) {
      const v = found[i];
      verdicts.set(keyOf(input), v?.fails ?? true);
      spentMs += v?.wallMs ?? 0;
      onRun?.(missPhase, ++judged[missPhase]);
    }
  }
};

/** A run's verdict as `caseFails` gives it: a run that fails, could not start or threw fails. */
const failed = (run: SweepRun): boolean =>
  run.outcome.kind !== 'ran' || run.outcome.result.verdict === 'fail';

/**
 * Judges schedules on a worker pool, each run exactly as `caseFails` runs it here (the scenario's seed,
 * invariants checked online); a schedule that does not parse fails without a run.
 */
export const poolEvaluator =
  (pool: WorkerPool, modules: readonly ControllerModuleRef[] = []) =>
  (inputs: readonly ScenarioInput[]): Promise<Verdict[]> => {
    const executor = poolExecutor(pool, { modules });
    return Promise.all(
      inputs.map(async (input) => {
        let scenario: ReturnType<typeof parseCase>;
        try {
          scenario = parseCase(input);
        } catch {
          return { fails: true, wallMs: 0 };
        }
        const job = { index: 0, seed: scenario.seed, keepTrace: false, checkInvariants: true };
        const run = await executor.run(scenario, job);
        return { fails: failed(run), wallMs: run.wallMs };
      }),
    );
  };

/** Options of {@link adaptiveEvaluator}. */
export interface AdaptiveEvaluatorOptions {
  /** Opens the pool (once), when it pays. */
  readonly openPool: () => WorkerPool;
  readonly modules?: readonly ControllerModuleRef[];
  /** The search's runs: with the mean run so far, what is left to judge. */
  readonly runs: number;
  /** Hand the rest to the pool once the work left is worth more than this (wall ms; 0: from the start). */
  readonly handOffMs: number;
  /** The wall clock runs here are timed with. */
  readonly now: () => number;
}

/**
 * Judges schedules here until the runs left, at the mean run so far, are worth more than starting the pool
 * (as `run --seeds` decides), then on the pool: a short search never pays for workers.
 */
export const adaptiveEvaluator = (options: AdaptiveEvaluatorOptions) => {
  let pooled: ((inputs: readonly ScenarioInput[]) => Promise<Verdict[]>) | null = null;
  let judged = 0;
  let spentMs = 0;
  return async (inputs: readonly ScenarioInput[]): Promise<Verdict[]> => {
    const pays =
      options.handOffMs <= 0 ||
      (judged > 0 && (spentMs / judged) * (options.runs - judged) > options.handOffMs);
    if (pooled === null && pays) pooled = poolEvaluator(options.openPool(), options.modules);
    if (pooled !== null) return pooled(inputs);
    return inputs.map((input) => {
      const t0 = options.now();
      const fails = caseFails(input);
      const wallMs = options.now() - t0;
      judged++;
      spentMs += wallMs;
      return { fails, wallMs };
    });
  };
};
