import type { PolicyName } from '../controllers/controller-spec.ts';
import { type LoadedScenario, loadScenarioFile } from '../scenario/loader.ts';
import { runScenario } from '../scenario/runner.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
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

/** One unit of benchmark work, small enough to hand to a worker process. */
export type BenchJob =
  | {
      readonly kind: 'recovery';
      readonly file: string;
      readonly policy: PolicyName;
      readonly seed: number;
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

const runOnce = (
  job: BenchJob,
  scenario: Scenario,
  seed: number,
  policy?: PolicyName,
  knowledge?: unknown,
) => {
  const r = runScenario(scenario, {
    seed,
    ...(policy === undefined ? {} : { policy }),
    ...(knowledge === undefined ? {} : { knowledge }),
  });
  if (!r.ok) throw new BenchJobError(job, `${scenario.name} seed ${seed}: ${r.error.message}`);
  return r.value;
};

/**
 * Runs one job in this process. A learning job runs its seeds one after another with the MAPE-K policy;
 * in the `carried` arm each run gets the knowledge the previous one exported, through a JSON round trip so it
 * is exactly what a knowledge file would have carried.
 */
export const runBenchJob = (job: BenchJob): BenchJobResult => {
  const scenario = scenarioOf(job);
  if (job.kind === 'recovery') {
    return { kind: 'recovery', digest: digestRun(runOnce(job, scenario, job.seed, job.policy)) };
  }
  const runs: RunDigest[] = [];
  let knowledge: unknown;
  const base = job.arm === 'frozen' ? frozen(scenario) : scenario;
  for (const seed of job.seeds) {
    const run = runOnce(job, base, seed, 'mapek', job.arm === 'carried' ? knowledge : undefined);
    runs.push(digestRun(run));
    knowledge = run.knowledge === null ? undefined : JSON.parse(JSON.stringify(run.knowledge));
  }
  return { kind: 'learning', arm: job.arm, runs };
};
