import { extname } from 'node:path';
import { formatWallSeconds } from '../base/format.ts';
import { inShard, shardText } from '../base/shard.ts';
import type { ControllerModuleRef } from '../controllers/controller-module.ts';
import { formatLoadError } from '../report/console-report.ts';
import { type Journal, serializeJournals } from '../report/journal.ts';
import { errorCase, type JUnitCase, renderJUnit } from '../report/junit.ts';
import { type LoadedScenario, loadScenarioFile } from '../scenario/loader.ts';
import { defaultWorkers } from '../sweep/default-workers.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { expandInputs } from './inputs.ts';
import type { LazyPool } from './lazy-pool.ts';
import { preflightOutputs, withinCostLimit } from './preflight.ts';
import { preparePolicy } from './prepare-policy.ts';
import { ResultsFile, type SweepIdentity, scenarioDigest } from './results-file.ts';
import { lockKnowledge, openKnowledge } from './run-knowledge.ts';
import { openOutputs, type RunFlags, reportWrite, runOne } from './run-sweep.ts';
import { stopExit, watchStop } from './stop-signals.ts';
import { poolCanHelp } from './worker-flags.ts';

/** One input of the command: a scenario to run at some seeds, or a file that could not be used. */
type Entry =
  | {
      readonly kind: 'run';
      readonly loaded: LoadedScenario;
      readonly seeds: readonly number[];
      readonly module: ControllerModuleRef | null;
    }
  | { readonly kind: 'invalid'; readonly junit: JUnitCase }
  | { readonly kind: 'skipped' };

/** `runs.json` -> `runs.results.ndjson`: where a sweep's results stream beside its `--json`. */
export const resultsBeside = (json: string): string =>
  `${extname(json) === '' ? json : json.slice(0, -extname(json).length)}.results.ndjson`;

/** The flags `--resume` cannot honour: they need every run's full result, which a results file does not keep. */
const NOT_RESUMABLE = ['trace', 'html', 'otel', 'inspect', 'knowledge'] as const;

/** The seeds of each scenario, in order, and which of them are this shard's (positions over every scenario). */
const shardSeeds = (entries: readonly Entry[], flags: RunFlags): Entry[] => {
  let position = 0;
  return entries.map((e) => {
    if (e.kind !== 'run') return e;
    const seeds = e.seeds.filter(() => inShard(flags.shard, position++));
    return { ...e, seeds };
  });
};

/** Loads every scenario up front (a results file names them all before the first run). */
const loadEntries = async (ctx: CliContext, files: readonly string[], flags: RunFlags): Promise<Entry[]> => {
  const entries: Entry[] = [];
  for (const file of files) {
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) {
      const lines = formatLoadError(loaded.error);
      ctx.warn(...lines);
      ctx.exit(EXIT.invalidInput);
      entries.push({
        kind: 'invalid',
        junit: errorCase(
          { suite: file, name: file, classname: 'mapek.invalid-scenario', timeMs: 0 },
          { type: loaded.error.kind, message: loaded.error.message, detail: lines.join('\n') },
        ),
      });
      continue;
    }
    const policy = flags.policy ?? loaded.value.scenario.controller.policy;
    const ref =
      flags.policy === undefined ? await preparePolicy(ctx, policy, { scenarioFile: file }) : 'builtin';
    if (ref === null || !withinCostLimit(ctx, loaded.value, flags.costLimit)) {
      entries.push({ kind: 'skipped' });
      continue;
    }
    const seeds = flags.seeds ?? [flags.seed ?? loaded.value.scenario.seed];
    entries.push({ kind: 'run', loaded: loaded.value, seeds, module: ref === 'builtin' ? null : ref });
  }
  return entries;
};

/** What a results file is the results of: the scenarios (as parsed), the policy, the seeds, the shard. */
const identityOf = (entries: readonly Entry[], flags: RunFlags): SweepIdentity => ({
  scenarios: entries.flatMap((e) =>
    e.kind === 'run' ? [{ file: e.loaded.file, sha256: scenarioDigest(e.loaded.scenario) }] : [],
  ),
  policy: flags.policy ?? null,
  seeds:
    flags.seeds !== undefined
      ? `${flags.seeds[0]}..${flags.seeds[flags.seeds.length - 1]}`
      : flags.seed !== undefined
        ? String(flags.seed)
        : null,
  shard: flags.shard === undefined ? null : shardText(flags.shard),
});

/** `mapek run`'s action: every scenario at every seed, its outputs written once the runs are done. */
export const runAction = async (ctx: CliContext, paths: string[], flags: RunFlags): Promise<void> => {
  const inputs = expandInputs(paths);
  for (const e of inputs.errors) {
    ctx.warn(`mapek: ${e.message}`);
    ctx.exit(EXIT.invalidInput);
  }
  if (flags.resume === true) {
    const refused = NOT_RESUMABLE.filter((f) => flags[f] !== undefined);
    if (refused.length > 0) {
      ctx.warn(
        `mapek: --resume cannot be combined with ${refused.map((f) => `--${f}`).join(', ')}: a results file keeps each run's journal, not its trace, timeline or knowledge`,
      );
      ctx.exit(EXIT.invalidInput);
      return;
    }
  }
  // A controller module is imported once, before any output opens, so a bad one stops everything up front.
  const modules: ControllerModuleRef[] = [];
  if (flags.policy !== undefined) {
    const ref = await preparePolicy(ctx, flags.policy, 'cwd');
    if (ref === null) return;
    if (ref !== 'builtin') modules.push(ref);
  }
  const runsAsked = inputs.files.length * (flags.seeds?.length ?? 1);
  const resultsPath =
    flags.results ?? (flags.json !== undefined && runsAsked > 1 ? resultsBeside(flags.json) : undefined);
  if (flags.resume === true && resultsPath === undefined) {
    ctx.warn(
      'mapek: --resume needs the results file to continue: give --results <file> (or --json of a sweep)',
    );
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const targets = preflightOutputs(
    ctx,
    [
      { flag: '--json', path: flags.json },
      { flag: '--junit', path: flags.junit },
      { flag: '--trace', path: flags.trace },
      { flag: '--html', path: flags.html },
      { flag: '--otel', path: flags.otel },
      { flag: '--inspect', path: flags.inspect },
      { flag: '--knowledge', path: flags.knowledge },
      { flag: '--results', path: resultsPath },
    ],
    inputs.files.map((f) => ({ what: 'a scenario', path: f })),
  );
  if (targets === null) return;
  const entries = shardSeeds(await loadEntries(ctx, inputs.files, flags), flags);
  const resultsTarget = targets.get('--results');
  let results: ResultsFile | null = null;
  if (resultsTarget !== undefined) {
    const identity = identityOf(entries, flags);
    const opened =
      flags.resume === true
        ? ResultsFile.resume(resultsTarget, identity)
        : ResultsFile.create(resultsTarget, identity);
    if (!opened.ok) {
      ctx.warn(`mapek: ${opened.error.message}`);
      ctx.exit(EXIT.invalidInput);
      return;
    }
    results = opened.value;
  }
  // Two runs saving over one knowledge file would each lose the other's learning: the second is refused.
  const lock = lockKnowledge(ctx, targets.get('--knowledge'));
  if (lock === 'failed') {
    results?.close();
    return;
  }
  const carry = openKnowledge(ctx, flags.knowledge, targets.get('--knowledge'));
  const outputs = carry === 'failed' ? null : openOutputs(ctx, targets);
  if (outputs === null) {
    results?.close();
    lock?.release();
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const started = ctx.io.now();
  const planned = entries.reduce((n, e) => n + (e.kind === 'run' ? e.seeds.length : 0), 0);
  const workerCount = Math.min(flags.workers ?? defaultWorkers(), Math.max(1, planned));
  // The pool's code (piscina) is imported by the first sweep that can use it: a single run never loads it.
  let workers: LazyPool | null = null;
  // Ctrl-C ends the workers at once (their runs are lost, the finished ones are in the results file).
  const stop = watchStop(ctx, () => void workers?.abort());
  const resumable = {
    results,
    finished: results?.finished ?? new Map<string, Journal>(),
    interrupted: () => stop.signal !== null,
  };
  const sink: { journals: Journal[]; cases: JUnitCase[] } = { journals: [], cases: [] };
  let loadedCount = 0;
  try {
    for (const entry of entries) {
      if (stop.signal !== null) break;
      if (entry.kind === 'invalid') sink.cases.push(entry.junit);
      if (entry.kind !== 'run') {
        loadedCount += entry.kind === 'skipped' ? 1 : 0;
        continue;
      }
      loadedCount++;
      if (entry.seeds.length === 0) continue;
      if (poolCanHelp(workerCount, entry.seeds.length)) {
        workers ??= new (await import('./lazy-pool.ts')).LazyPool(workerCount, ctx.io.env);
      }
      const executor =
        workers?.executor(
          entry.seeds.length,
          entry.module === null ? modules : [...modules, entry.module],
          ctx.io.now,
        ) ?? null;
      const carried = carry === 'failed' ? null : carry;
      await runOne(ctx, entry.loaded, entry.seeds, flags, outputs, sink, carried, executor, resumable);
    }
  } finally {
    stop.stop();
    results?.close();
  }
  if (stop.signal !== null) {
    // Nothing half done is left: the outputs' temporary files go, the files they would replace stay.
    for (const f of [outputs.json, outputs.junit, outputs.trace]) f?.abort();
    outputs.reports.abort();
    await workers?.abort();
    lock?.release();
    const kept =
      results === null ? '' : `; the runs it finished are in ${results.path}: add --resume to continue`;
    ctx.warn(`mapek: stopped by ${stop.signal}${kept}`);
    ctx.exit(stopExit(stop.signal));
    return;
  }
  const passed = sink.journals.filter((j) => j.verdict === 'pass').length;
  if (inputs.files.length > 1 || planned > 1) {
    ctx.print(
      `${loadedCount} scenario${loadedCount === 1 ? '' : 's'}, ${sink.journals.length} run${sink.journals.length === 1 ? '' : 's'}: ${passed} passed, ${sink.journals.length - passed} failed  [${formatWallSeconds(ctx.io.now() - started)}]`,
    );
  }
  if (outputs.json !== null && sink.journals.length === 0) {
    // Nothing ran: an empty array would only replace the journal a user already has.
    outputs.json.abort();
  } else if (outputs.json !== null) {
    // One run gives one journal object; anything else (several files or seeds) an array in run order.
    const single = inputs.files.length === 1 && runsAsked === 1;
    const [only] = sink.journals;
    const payload = single && only !== undefined ? only : sink.journals;
    reportWrite(ctx, outputs.json.finish(serializeJournals(payload)));
  }
  if (outputs.junit !== null) {
    reportWrite(ctx, outputs.junit.finish(renderJUnit(sink.cases)));
  }
  if (outputs.trace?.failed === null) reportWrite(ctx, outputs.trace.commit());
  await outputs.reports.commit(ctx, sink.journals);
  await workers?.close();
  lock?.release();
};
