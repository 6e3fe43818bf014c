import { loadControllerModule } from '../controllers/controller-module.ts';
import { isModulePolicy, type PolicyName } from '../controllers/controller-spec.ts';
import { type LoadedScenario, loadScenarioFile } from '../scenario/loader.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import { sweep, sweepOne } from '../sweep/sweep.ts';
import type { SweepOutcome } from '../sweep/sweep-job.ts';
import { digestRun, type RunDigest } from './run-digest.ts';

/** How knowledge is treated across the successive runs of a learning curve. */
export type LearningArm =
  /** Each run starts from the knowledge the previous run ended with (a knowledge file carried over). */
  | 'carried'
  /** Each run starts from nothing and learns within the run only. */
  | 'fresh'
  /** Knowledge updates disabled (`enableKnowledgeUpdates: false`): every decision uses the catalog's priors. */
  | 'frozen';

/** Every arm, in the order the tables show them. */
export const LEARNING_ARMS: readonly LearningArm[] = ['carried', 'fresh', 'frozen'];

/** One unit of benchmark work, small enough to hand to a worker thread. */
export type BenchJob =
  | {
      readonly kind: 'recovery';
      readonly file: string;
      readonly policy: PolicyName;
      readonly seed: number;
      /** The absolute path of the controller module `policy` names, for a worker to import first. */
      readonly module?: string;
    }
  | {
      readonly kind: 'learning';
      readonly file: string;
      readonly arm: LearningArm;
      /** Seeds of the successive runs, in order. */
      readonly seeds: readonly number[];
    };

/** What a job gives back. */
export type BenchJobResult =
  | { readonly kind: 'recovery'; readonly digest: RunDigest }
  | { readonly kind: 'learning'; readonly arm: LearningArm; readonly runs: readonly RunDigest[] };

/** A job that could not run: a bad file or a run that could not start. */
export class BenchJobError extends Error {
  constructor(
    readonly job: BenchJob,
    message: string,
  ) {
    super(message);
    this.name = 'BenchJobError';
  }
}

const cache = new Map<string, LoadedScenario>();

/** Loads a scenario once per process: a worker runs many seeds of the same few files. */
const scenarioOf = (job: BenchJob): Scenario => {
  let loaded = cache.get(job.file);
  if (loaded === undefined) {
    const r = loadScenarioFile(job.file);
    if (!r.ok) throw new BenchJobError(job, `${job.file}: ${r.error.message}`);
    loaded = r.value;
    cache.set(job.file, loaded);
  }
  return loaded.scenario;
};

const frozen = (s: Scenario): Scenario => ({
  ...s,
  controller: { ...s.controller, mapek: { ...s.controller.mapek, enableKnowledgeUpdates: false } },
});

/** A run the benchmark cannot use: the scenario could not run, or the simulation threw. */
const failure = (job: BenchJob, scenario: Scenario, seed: number, outcome: SweepOutcome): BenchJobError =>
  new BenchJobError(
    job,
    `${scenario.name} seed ${seed}: ${outcome.kind === 'refused' ? outcome.error.message : outcome.kind === 'threw' ? outcome.message : ''}`,
  );

/**
 * Runs one job in this process, through the sweep service. A learning job is a sweep of its seeds with the
 * MAPE-K policy; in the `carried` arm each run starts from the knowledge the previous one exported, exactly
 * as a knowledge file would have carried it (the sweep's `carry`).
 */
export const runBenchJob = async (job: BenchJob): Promise<BenchJobResult> => {
  const scenario = scenarioOf(job);
  if (job.kind === 'recovery') {
    if (job.module !== undefined && isModulePolicy(job.policy)) {
      // A worker thread has its own module table: import the user's controller here too (once per thread).
      const loaded = await loadControllerModule({ given: job.policy, absolutePath: job.module });
      if (!loaded.ok) throw new BenchJobError(job, loaded.error.message);
    }
    const outcome = await sweepOne(scenario, job.seed, { policy: job.policy });
    if (outcome.kind !== 'ran') throw failure(job, scenario, job.seed, outcome);
    return { kind: 'recovery', digest: digestRun(outcome.result) };
  }
  const runs: RunDigest[] = [];
  const base = job.arm === 'frozen' ? frozen(scenario) : scenario;
  for await (const run of sweep(base, job.seeds, {
    policy: 'mapek',
    knowledge: { carry: job.arm === 'carried' },
  })) {
    if (run.outcome.kind !== 'ran') throw failure(job, base, run.seed, run.outcome);
    runs.push(digestRun(run.outcome.result));
  }
  return { kind: 'learning', arm: job.arm, runs };
};
