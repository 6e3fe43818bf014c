/**
 * Explore throughput: how fast `mapek explore` tries random fault schedules. 1,000 schedules (up to 9 faults
 * of every kind, two at once, on one or two nodes) on a 5-node, 10-minute scenario with the MAPE-K loop
 * attached, through the same search `explore` runs (fast-check generating each schedule, the scenario checked
 * and run, its SLOs judged). Its one SLO cannot be missed, so no counterexample cuts the search short. Measured
 * with one worker (the search in this process) and with two (`exploreAhead` on the worker pool, as
 * `mapek explore --workers 2` runs it). Target: under 15 s with 2 workers on the 2-core machine.
 *
 *   npx tsx bench/explore-throughput.ts          # 1,000 schedules, 1 and 2 workers
 *   npx tsx bench/explore-throughput.ts 200 2    # fewer, 2 workers only
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadScenarioText } from '../src/scenario/loader.ts';
import { WorkerPool } from '../src/sweep/worker-pool.ts';
import { explore } from '../src/testing/explore.ts';
import { exploreAhead, poolEvaluator } from '../src/testing/explore-ahead.ts';
import { budgetFromScenario } from '../src/testing/fault-budget.ts';
import type { ScenarioInput } from '../src/testing/scenario-input.ts';

/** The benchmark scenario (five nodes, the loop, a fault budget of every kind), shared with `npm run bench`. */
const SCENARIO = readFileSync(new URL('./scenarios/explore-throughput.yaml', import.meta.url), 'utf8');

/** A fixed fast-check seed: every run of the benchmark tries the same schedules. */
const SEED = 2024;

/** Runs `runs` random schedules through the explore search on `workers` and times it (wall clock). */
export const runExploreThroughput = async (runs = 1000, workers = 1) => {
  const loaded = loadScenarioText(SCENARIO, 'explore-throughput.yaml');
  if (!loaded.ok) throw new Error(loaded.error.message);
  const budget = budgetFromScenario(loaded.value.scenario);
  if (!budget.ok) throw new Error(budget.error.message);
  const input = loaded.value.input as ScenarioInput;
  const options = { budget: budget.value, runs, seed: SEED };
  // The pool's start-up counts: a user's `mapek explore --workers 2` pays it too.
  const started = performance.now();
  const pool = workers > 1 ? WorkerPool.open(workers) : null;
  const result =
    pool === null
      ? explore(input, options)
      : await exploreAhead(input, {
          ...options,
          evaluate: poolEvaluator(pool),
          searchAhead: workers * 32,
          shrinkAhead: workers,
          shrinkParallelMs: 100,
        });
  await pool?.close();
  const wallMs = Math.round(performance.now() - started);
  if (result.kind !== 'passed') throw new Error('the benchmark scenario has no SLO a schedule can miss');
  return { runs: result.runs, workers, wallMs, perRunMs: Math.round((wallMs / result.runs) * 100) / 100 };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 1000);
  const counts = process.argv[3] === undefined ? [1, 2] : [Number(process.argv[3])];
  for (const workers of counts) {
    const r = await runExploreThroughput(runs, workers);
    console.log(
      `explore: ${r.runs} random schedules on 5 nodes x 10 min with the MAPE-K loop, ${workers} worker${workers === 1 ? '' : 's'}: ` +
        `${r.wallMs} ms wall (${r.perRunMs} ms a schedule; target 1,000 in under 15 s with 2 workers)`,
    );
  }
}
