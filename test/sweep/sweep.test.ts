import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import type { Scenario } from '../../src/scenario/schema/scenario.ts';
import { inProcessExecutor, type SweepExecutor } from '../../src/sweep/executor.ts';
import { sweep, sweepJobs, sweepOne } from '../../src/sweep/sweep.ts';
import { runSweepJob, type SweepJob, type SweepRun } from '../../src/sweep/sweep-job.ts';

const load = (file: string): Scenario => {
  const r = loadScenarioFile(file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.scenario;
};

const RANDOM = load('test/fixtures/random-noop.yaml');
const CRASH = load('scenarios/single-node-crash.yaml');

const collect = async (runs: AsyncIterable<SweepRun>): Promise<SweepRun[]> => {
  const out: SweepRun[] = [];
  for await (const run of runs) out.push(run);
  return out;
};

const hashOf = (run: SweepRun): string =>
  run.outcome.kind === 'ran' ? run.outcome.result.outcome.traceHash : run.outcome.kind;

/**
 * A pool stand-in: runs jobs in this process but finishes them in reverse order of starting, once
 * `capacity` are in flight (or the last one has started), and records what it was asked.
 */
const reversingPool = (capacity: number) => {
  const asked: SweepJob[] = [];
  let held: { job: SweepJob; done: (r: SweepRun) => void }[] = [];
  let total = Number.POSITIVE_INFINITY;
  const release = () => {
    const batch = held.reverse();
    held = [];
    for (const h of batch) h.done(runSweepJob(RANDOM, h.job));
  };
  const executor: SweepExecutor = {
    capacity,
    run: (_scenario, job) =>
      new Promise((done) => {
        asked.push(job);
        held.push({ job, done });
        if (held.length === capacity || asked.length === total) release();
      }),
  };
  return { executor, asked, expect: (n: number) => (total = n) };
};

describe('sweep', () => {
  it('describes each run as plain data: index, seed, policy, trace and knowledge', () => {
    const jobs = sweepJobs([4, 9], {
      policy: 'oracle',
      keepTrace: true,
      knowledge: { carry: false, initial: { a: 1 } },
    });

    expect(JSON.parse(JSON.stringify(jobs))).toEqual([
      { index: 0, seed: 4, keepTrace: true, policy: 'oracle', knowledge: { a: 1 } },
      { index: 1, seed: 9, keepTrace: true, policy: 'oracle', knowledge: { a: 1 } },
    ]);
  });

  it('delivers runs in seed order, identical to in-process runs, when a pool finishes them out of order', async () => {
    const seeds = [3, 1, 2, 5, 4];
    const pool = reversingPool(3);
    pool.expect(seeds.length);

    const pooled = await collect(sweep(RANDOM, seeds, { executor: pool.executor }));
    const inProcess = await collect(sweep(RANDOM, seeds));

    expect(pooled.map((r) => r.seed)).toEqual(seeds);
    expect(pooled.map(hashOf)).toEqual(inProcess.map(hashOf));
    expect(new Set(pooled.map(hashOf)).size).toBe(seeds.length);
  });

  it('starts no further run once the consumer stops', async () => {
    const started: number[] = [];
    const counting: SweepExecutor = {
      capacity: 1,
      run: (scenario, job) => {
        started.push(job.seed);
        return inProcessExecutor().run(scenario, job);
      },
    };

    for await (const run of sweep(RANDOM, [1, 2, 3, 4], { executor: counting })) {
      if (run.seed === 2) break;
    }

    expect(started).toEqual([1, 2]);
  });

  it('carries knowledge from run to run, one at a time, as a knowledge file would', async () => {
    const asked: SweepJob[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const wide: SweepExecutor = {
      capacity: 4,
      run: async (scenario, job) => {
        asked.push(job);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        const run = await inProcessExecutor().run(scenario, job);
        inFlight--;
        return run;
      },
    };

    const runs = await collect(sweep(CRASH, [1, 2, 3], { executor: wide, knowledge: { carry: true } }));

    const learnedBy = (i: number) => {
      const o = runs[i]?.outcome;
      return o?.kind === 'ran' ? JSON.parse(JSON.stringify(o.result.knowledge)) : null;
    };
    expect(asked.map((j) => j.knowledge)).toEqual([undefined, learnedBy(0), learnedBy(1)]);
    expect(maxInFlight).toBe(1);
    expect(learnedBy(1)).not.toEqual(learnedBy(0));
  });

  it('keeps a simulation that throws as an outcome, and the sweep goes on', async () => {
    const outcome = await sweepOne(CRASH, 1, {
      policy: 'mapek',
      knowledge: { carry: false, initial: { format: 'nope' } },
    });
    const next = await sweepOne(CRASH, 1);

    expect(outcome.kind).toBe('threw');
    expect(outcome.kind === 'threw' && outcome.message).toMatch(/knowledge/i);
    expect(next.kind).toBe('ran');
  });

  it('times runs with the clock it is given, and only with it', async () => {
    let t = 0;
    const now = () => (t += 10);

    const [run] = await collect(sweep(RANDOM, [1], { now }));

    expect(run?.wallMs).toBe(10);
  });
});
