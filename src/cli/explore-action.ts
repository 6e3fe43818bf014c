import { basename, extname, resolve } from 'node:path';
import fc from 'fast-check';
import { AtomicFile } from '../base/atomic-write.ts';
import { shardSize } from '../base/shard.ts';
import { isBuiltinPolicy, type PolicyName } from '../controllers/controller-spec.ts';
import { formatLoadError } from '../report/console-report.ts';
import { loadScenarioFile } from '../scenario/loader.ts';
import { isRecordLike } from '../scenario/schema-lookup.ts';
import { defaultWorkers } from '../sweep/default-workers.ts';
import { type ExploreOptions, type ExploreResult, explore } from '../testing/explore.ts';
import { adaptiveEvaluator, ExploreStopped, exploreAhead } from '../testing/explore-ahead.ts';
import { budgetFromScenario, describeBudget, type FaultBudget } from '../testing/fault-budget.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { defaultCounterexampleOut, type ExploreFlags, MAX_FC_SEED, searchFlags } from './explore-flags.ts';
import { reportCounterexample, reportPass, type SearchOrigin } from './explore-outcome.ts';
import { defaultShardOut, writeExploreShard } from './explore-shards.ts';
import { LazyPool } from './lazy-pool.ts';
import { preflightOutputs, withinCostLimit } from './preflight.ts';
import { preparePolicy } from './prepare-policy.ts';
import { exploreProgress } from './progress.ts';
import { stopExit, watchStop } from './stop-signals.ts';

/**
 * How far ahead a parallel search judges: while searching, 32 schedules a worker a round (a round replays
 * fast-check over the verdicts known, so fewer, larger rounds cost less); while shrinking, one a worker,
 * since the first shrink that fails ends the round and the guesses after it are wasted, and only for runs
 * of 100 ms or more (shorter ones shrink faster here than a round trip to the pool).
 */
const aheadOf = (workers: number) => ({
  searchAhead: workers * 32,
  shrinkAhead: workers,
  shrinkParallelMs: 100,
});

/** A fresh seed when none is given: fast-check's own randomness, printed so the search replays. */
const freshSeed = (): number => fc.sample(fc.integer({ min: 0, max: MAX_FC_SEED }), 1)[0] ?? 0;

const badPath = (path: string, seed: number, why: string): string =>
  `mapek: --path ${path} is not a path of this search (fast-check seed ${seed}, this scenario and these flags): ${why}; use the --seed and --path explore printed`;

/** `mapek explore`'s action: the search, its counterexample written and replayed. */
export const exploreAction = async (ctx: CliContext, file: string, flags: ExploreFlags): Promise<void> => {
  if (flags.path !== undefined && flags.seed === undefined) {
    ctx.warn('mapek: --path replays a search and needs the --seed it was printed with');
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const { shard } = flags;
  if (shard !== undefined && (flags.seed === undefined || flags.path !== undefined)) {
    ctx.warn(
      flags.path === undefined
        ? 'mapek: --shard needs --seed: every shard of a search must meet the same candidates'
        : 'mapek: --shard splits a search; --path replays one: use one or the other',
    );
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const outPath =
    flags.out ??
    (shard === undefined
      ? defaultCounterexampleOut(file)
      : defaultShardOut(basename(file, extname(file)), shard));
  const targets = preflightOutputs(
    ctx,
    [{ flag: '--out', path: outPath }],
    [{ what: 'the scenario', path: file }],
  );
  if (targets === null) return;
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) {
    ctx.warn(...formatLoadError(loaded.error));
    ctx.exit(EXIT.invalidInput);
    return;
  }
  if (!withinCostLimit(ctx, loaded.value, flags.costLimit)) return;
  // The controller module, the scenario's own or `--policy`'s, is imported once here, as `run` does, before the
  // first schedule runs (a `--policy` path resolves against the working directory, as in `run`).
  // A module given by `--policy` is named by its absolute path from here on: the counterexample pins it into a
  // scenario file that may be written anywhere, and a scenario's module path resolves against its own folder.
  const chosen =
    flags.policy === undefined || isBuiltinPolicy(flags.policy)
      ? flags.policy
      : (resolve(flags.policy) as PolicyName);
  const ownRef =
    chosen === undefined
      ? await preparePolicy(ctx, loaded.value.scenario.controller.policy, { scenarioFile: file })
      : await preparePolicy(ctx, chosen, 'cwd');
  if (ownRef === null) return;
  const { scenario, input } = loaded.value;
  if (!isRecordLike(input)) {
    ctx.internalError(`while reading ${file}`, new Error('a valid scenario is not a mapping'));
    return;
  }
  if (Object.values(scenario.slo).every((v) => v === undefined)) {
    ctx.warn(
      `mapek: ${file}: the scenario sets no SLO, so no fault schedule can violate one; add an \`slo\` block`,
    );
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const budgeted = budgetFromScenario(scenario, {
    ...(flags.maxFaults === undefined ? {} : { maxFaults: flags.maxFaults }),
    ...(flags.maxConcurrent === undefined ? {} : { maxConcurrent: flags.maxConcurrent }),
    ...(flags.maxBlastRadius === undefined ? {} : { maxBlastRadius: flags.maxBlastRadius }),
    ...(flags.kinds === undefined ? {} : { kinds: flags.kinds }),
  });
  if (!budgeted.ok) {
    ctx.warn(`mapek: ${file}: ${budgeted.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const budget: FaultBudget = flags.oneWayPartitions
    ? { ...budgeted.value, partitionDirections: ['both', 'outbound', 'inbound'] }
    : budgeted.value;
  // Opened before the search, so a bad path fails in a second rather than after an hour of runs.
  const out = AtomicFile.open(targets.get('--out') ?? outPath);
  if (!out.ok) {
    ctx.warn(`mapek: ${out.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const seed = flags.seed ?? freshSeed();
  const policy = chosen ?? scenario.controller.policy;
  ctx.print(
    `explore  ${scenario.name}  policy ${policy}  seed ${scenario.seed}  fast-check seed ${seed}`,
    `      budget: ${describeBudget(budget)}`,
  );
  const progress = exploreProgress(ctx.io, scenario.name, shardSize(flags.runs, shard));
  const started = ctx.io.now();
  let result: ExploreResult;
  const workers = new LazyPool(Math.min(flags.workers ?? defaultWorkers(), flags.runs), ctx.io.env);
  // With workers the search waits between rounds, where Ctrl-C can stop it cleanly; in one thread it cannot.
  const stop = workers.workers > 1 ? watchStop(ctx, () => void workers.abort()) : null;
  try {
    const options: ExploreOptions = {
      budget,
      runs: flags.runs,
      seed,
      ...(flags.path === undefined ? {} : { path: flags.path }),
      ...(chosen === undefined ? {} : { policy: chosen }),
      ...(shard === undefined ? {} : { shard }),
      onRun: (phase, count) => progress.run(phase, count),
    };
    result =
      workers.workers <= 1
        ? explore(input, options)
        : await exploreAhead(input, {
            ...options,
            evaluate: adaptiveEvaluator({
              openPool: () => workers.open(),
              modules: ownRef === 'builtin' ? [] : [ownRef],
              runs: flags.runs,
              handOffMs: workers.handOffMs,
              now: ctx.io.now,
            }),
            ...aheadOf(workers.workers),
            stopped: () => (stop?.signal ?? null) !== null,
          });
  } catch (e) {
    out.value.abort();
    if (e instanceof ExploreStopped && stop?.signal) {
      ctx.warn(`mapek: stopped by ${stop.signal} after ${e.runs} runs; no counterexample was written`);
      ctx.exit(stopExit(stop.signal));
      return;
    }
    // With --path, fast-check throws only for a path its search tree does not have: bad input, not a bug.
    if (flags.path !== undefined) {
      ctx.warn(badPath(flags.path, seed, e instanceof Error ? e.message : String(e)));
      ctx.exit(EXIT.invalidInput);
      return;
    }
    ctx.internalError(`while exploring ${file}`, e);
    return;
  } finally {
    progress.stop();
    stop?.stop();
    await workers.close();
  }
  const wallMs = ctx.io.now() - started;
  const origin: SearchOrigin = { scenarioFile: file, seed, budget, flags: searchFlags(flags) };
  if (result.kind === 'passed' && flags.path !== undefined && result.runs === 0) {
    out.value.abort();
    ctx.warn(badPath(flags.path, seed, 'it leads to no run'));
    ctx.exit(EXIT.invalidInput);
    return;
  }
  if (shard !== undefined) {
    const search = { ...origin, scenarioName: scenario.name, runs: flags.runs, policy };
    writeExploreShard(ctx, out.value, outPath, shard, search, result, wallMs);
    return;
  }
  if (result.kind === 'passed') {
    out.value.abort();
    reportPass(ctx, origin, result.runs, wallMs, flags.path);
    return;
  }
  reportCounterexample(ctx, origin, result.counterexample, out.value, outPath, wallMs);
};
