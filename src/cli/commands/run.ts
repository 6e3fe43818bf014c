import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option } from 'commander';
import type { AtomicFile, WriteError } from '../../base/atomic-write.ts';
import { acquireLock, type FileLock } from '../../base/file-lock.ts';
import { formatWallSeconds } from '../../base/format.ts';
import type { ResolvedOutputs } from '../../base/output-paths.ts';
import type { ControllerModuleRef } from '../../controllers/controller-module.ts';
import type { PolicyName } from '../../controllers/controller-spec.ts';
import { type KnowledgeFileData, loadKnowledgeFile, saveKnowledgeFile } from '../../mapek/knowledge-file.ts';
import { consoleStyle, formatLoadError, formatRun, formatSweep } from '../../report/console-report.ts';
import { buildJournal, type Journal, knowledgeDigest, serializeJournals } from '../../report/journal.ts';
import { errorCase, type JUnitCase, junitCaseOf, renderJUnit } from '../../report/junit.ts';
import { summarizeSweep } from '../../report/sweep-summary.ts';
import { traceChunk } from '../../report/trace-file.ts';
import { DEFAULT_COST_LIMIT } from '../../scenario/cost-estimate.ts';
import { type LoadedScenario, loadScenarioFile } from '../../scenario/loader.ts';
import type { SweepExecutor } from '../../sweep/executor.ts';
import { sweep } from '../../sweep/sweep.ts';
import { thrownError } from '../../sweep/sweep-job.ts';
import { defaultWorkers } from '../../sweep/worker-pool.ts';
import type { CliContext } from '../cli-context.ts';
import type { CommandModule } from '../command-module.ts';
import { EXIT } from '../exit-codes.ts';
import { expandInputs } from '../inputs.ts';
import { openOutputFiles } from '../open-outputs.ts';
import { parsePolicy, preparePolicy } from '../policy-flags.ts';
import { preflightOutputs, withinCostLimit } from '../preflight.ts';
import { runProgress, sweepProgress } from '../progress.ts';
import { HTML_OPTION, INSPECT_OPTION, OTEL_OPTION, type ReportFlags, RunReports } from '../report-flags.ts';
import { parseSeed, parseSeedRange } from '../seeds.ts';
import { LazyPool, workersOption } from '../worker-flags.ts';

/** The options of `mapek run`, as commander hands them over. */
interface RunFlags extends ReportFlags {
  readonly seed?: number;
  readonly seeds?: number[];
  readonly policy?: PolicyName;
  readonly json?: string;
  readonly junit?: string;
  readonly trace?: string;
  readonly knowledge?: string;
  /** False with `--no-cost-limit`. */
  readonly costLimit?: boolean;
  readonly workers?: number;
}

/**
 * The knowledge carried from run to run with `--knowledge`: loaded before the first run, handed to each run,
 * replaced by what the run learned and saved after it.
 */
interface KnowledgeCarry {
  /** Where it is read and written (a symlink's target). */
  readonly path: string;
  /** As given on the command line, for the journal. */
  readonly given: string;
  current: KnowledgeFileData | undefined;
  saveFailed: boolean;
}

/**
 * Opens `--knowledge`: an existing file must be a readable mapek knowledge file (anything else is refused,
 * exit 2, and left untouched); a missing one starts the loop from nothing and is created after the first run.
 */
const openKnowledge = (
  ctx: CliContext,
  given: string | undefined,
  path: string | undefined,
): KnowledgeCarry | null | 'failed' => {
  if (given === undefined || path === undefined) return null;
  if (!existsSync(path)) {
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      ctx.warn(`mapek: cannot write knowledge file ${path}: no such directory ${dir}`);
      return 'failed';
    }
    return { path, given, current: undefined, saveFailed: false };
  }
  const loaded = loadKnowledgeFile(path);
  if (!loaded.ok) {
    ctx.warn(`mapek: ${loaded.error.message}; the file was not changed`);
    return 'failed';
  }
  return { path, given, current: loaded.value, saveFailed: false };
};

/** Takes what a run learned as the knowledge of the next run, and saves it (atomically). */
const carryKnowledge = (ctx: CliContext, carry: KnowledgeCarry, learned: unknown): void => {
  if (learned === null || learned === undefined) return;
  const data = learned as KnowledgeFileData;
  carry.current = data;
  // After one failed save (a full disk) the rest of the sweep still learns, but is not saved again.
  if (carry.saveFailed) return;
  const saved = saveKnowledgeFile(carry.path, data);
  if (!saved.ok) {
    carry.saveFailed = true;
    ctx.warn(
      `mapek: ${saved.error.message}; later runs of this command will not save their knowledge either`,
    );
    ctx.exit(EXIT.invalidInput);
  }
};

/** Locks `--knowledge` for the whole command; 'failed' (reported, exit 2) when another run holds it. */
const lockKnowledge = (ctx: CliContext, path: string | undefined): FileLock | null | 'failed' => {
  if (path === undefined) return null;
  const lock = acquireLock(path);
  if (lock.ok) return lock.value;
  ctx.warn(`mapek: ${lock.error.message}`);
  ctx.exit(EXIT.invalidInput);
  return 'failed';
};

/** Output files, opened before the first run so a bad path fails in a second, not after an hour. */
interface Outputs {
  readonly json: AtomicFile | null;
  readonly junit: AtomicFile | null;
  readonly trace: AtomicFile | null;
  readonly reports: RunReports;
}

const openOutputs = (ctx: CliContext, targets: ResolvedOutputs): Outputs | null => {
  const files = openOutputFiles(ctx, {
    json: targets.get('--json'),
    junit: targets.get('--junit'),
    trace: targets.get('--trace'),
  });
  if (files === null) return null;
  const reports = RunReports.open(ctx, {
    html: targets.get('--html'),
    otel: targets.get('--otel'),
    inspect: targets.get('--inspect'),
  });
  if (reports === null) {
    for (const f of [files.json, files.junit, files.trace]) f?.abort();
    return null;
  }
  return { ...files, reports };
};

const reportWrite = (ctx: CliContext, r: { ok: true } | { ok: false; error: WriteError }): void => {
  if (!r.ok) {
    ctx.warn(`mapek: ${r.error.message}`);
    ctx.exit(EXIT.invalidInput);
  }
};

/** A JUnit case for a seed (or a sweep) that could not run. */
const errorCaseOf = (
  loaded: LoadedScenario,
  name: string,
  timeMs: number,
  error: { readonly type: string; readonly message: string },
): JUnitCase => {
  const { name: scenario } = loaded.scenario;
  return errorCase(
    { suite: scenario, name: `${scenario} [${name}]`, classname: `mapek.${scenario}`, timeMs },
    { ...error, detail: loaded.file },
  );
};

/** Runs every seed of one scenario through the sweep, printing its verdict and collecting journals and JUnit cases. */
const runOne = async (
  ctx: CliContext,
  loaded: LoadedScenario,
  seeds: readonly number[],
  flags: RunFlags,
  outputs: Outputs,
  sink: { journals: Journal[]; cases: JUnitCase[] },
  carry: KnowledgeCarry | null,
  pooled: SweepExecutor | null,
): Promise<void> => {
  const { scenario } = loaded;
  const journals: Journal[] = [];
  const progress = sweepProgress(ctx.io, scenario.name, seeds.length);
  // One run: its progress in simulated time instead (a sweep's bar counts runs).
  const single = seeds.length === 1 ? runProgress(ctx.io, scenario.name) : null;
  const stopProgress = (): void => {
    progress.stop();
    single?.stop();
  };
  const started = ctx.io.now();
  const runs = sweep(scenario, seeds, {
    ...(flags.policy === undefined ? {} : { policy: flags.policy }),
    keepTrace: outputs.trace !== null,
    ...(carry === null ? {} : { knowledge: { carry: true, initial: carry.current } }),
    ...outputs.reports.runOptions(outputs.json !== null),
    now: ctx.io.now,
    ...(single === null ? {} : { onProgress: (_job, simMs, endMs) => single.advance(simMs, endMs) }),
    // Carried knowledge makes each run wait for the one before: a pool would only add its start-up.
    ...(pooled === null || carry !== null ? {} : { executor: pooled }),
  });
  try {
    for await (const run of runs) {
      // The run is over: its bar goes before anything else is said.
      single?.stop();
      const { outcome, seed } = run;
      if (outcome.kind === 'threw') {
        stopProgress();
        ctx.internalError(
          `while running ${scenario.name} (${loaded.file}) with seed ${seed}`,
          thrownError(outcome),
        );
        sink.cases.push(
          errorCaseOf(loaded, `seed ${seed}`, run.wallMs, { type: 'internal', message: outcome.message }),
        );
        break;
      }
      if (outcome.kind === 'refused') {
        stopProgress();
        ctx.warn(`ERROR ${scenario.name} (${loaded.file}): ${outcome.error.message}`);
        ctx.exit(EXIT.invalidInput);
        const which = seeds.length === 1 ? `seed ${seed}` : `seeds ${seeds[0]}..${seeds[seeds.length - 1]}`;
        sink.cases.push(
          errorCaseOf(loaded, which, 0, { type: outcome.error.kind, message: outcome.error.message }),
        );
        break;
      }
      const result = outcome.result;
      const start = carry?.current;
      const knowledge =
        carry === null || start === undefined
          ? null
          : { file: carry.given, sha256: knowledgeDigest(start), data: start };
      if (carry !== null) carryKnowledge(ctx, carry, result.knowledge);
      const journal = buildJournal(result, { ...loaded, knowledge }, { wallMs: run.wallMs });
      if (outputs.trace !== null && outputs.trace.failed === null)
        reportWrite(ctx, outputs.trace.write(traceChunk(journal, result.traceLines)));
      journals.push(journal);
      outputs.reports.add(journal, result);
      sink.cases.push(junitCaseOf(journal));
      if (journal.verdict === 'fail') ctx.exit(EXIT.sloViolated);
      progress.tick();
    }
  } finally {
    stopProgress();
  }
  // Seeds that ran before an error still count, in the reports and in the verdict.
  sink.journals.push(...journals);
  const [only] = journals;
  if (journals.length === 1 && only !== undefined) {
    ctx.print(...formatRun(only, consoleStyle(ctx.io)));
  } else if (journals.length > 1) {
    ctx.print(...formatSweep(summarizeSweep(journals), ctx.io.now() - started, consoleStyle(ctx.io)));
  }
};

/** `mapek run`: runs scenarios, prints verdicts, writes journals, JUnit XML and traces. */
export const runCommand: CommandModule = {
  name: 'run',
  register(program, ctx) {
    program
      .command('run')
      .description('run scenario files (or every *.yaml, *.yml, *.json in a directory) and judge their SLOs')
      .argument('<paths...>', 'scenario files or directories')
      .addOption(
        new Option('--seed <n>', "run with this seed instead of the scenario's").argParser(parseSeed),
      )
      .addOption(
        new Option(
          '--seeds <a..b>',
          'sweep every seed from a to b (inclusive); a scenario fails if any seed fails',
        )
          .argParser(parseSeedRange)
          .conflicts('seed'),
      )
      .addOption(
        new Option(
          '--policy <name|file>',
          "drive the cluster with this controller instead of the scenario's: a built-in name or a .js/.mjs controller module (docs/custom-controllers.md)",
        ).argParser(parsePolicy),
      )
      .option('--json <file>', 'write the journal (one run) or an array of journals (several runs) to a file')
      .option('--junit <file>', 'write a JUnit XML report: one test case per scenario and seed')
      .option(
        '--trace <file>',
        'write the event trace as NDJSON: a header line per run, then one event per line',
      )
      .addOption(HTML_OPTION)
      .addOption(OTEL_OPTION)
      .addOption(INSPECT_OPTION)
      .option(
        '--knowledge <file>',
        'start the MAPE-K loop from this knowledge file and save what it learns back to it after each run (created if missing; a file that is not a mapek knowledge file is refused and left as it is)',
      )
      .addOption(workersOption('the seeds of a sweep'))
      .option(
        '--no-cost-limit',
        `run scenarios whose estimated cost is over the limit (${DEFAULT_COST_LIMIT.toExponential()} visits a run; see docs/cli.md)`,
      )
      .addHelpText(
        'after',
        '\nExit codes: 0 every SLO met, 1 an SLO violated, 2 invalid input or usage, 3 internal error.',
      )
      .action(async (paths: string[], flags: RunFlags) => {
        const inputs = expandInputs(paths);
        for (const e of inputs.errors) {
          ctx.warn(`mapek: ${e.message}`);
          ctx.exit(EXIT.invalidInput);
        }
        // A controller module is imported once, before any output opens, so a bad one stops everything up front.
        const modules: ControllerModuleRef[] = [];
        if (flags.policy !== undefined) {
          const ref = await preparePolicy(ctx, flags.policy, 'cwd');
          if (ref === null) return;
          if (ref !== 'builtin') modules.push(ref);
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
          ],
          inputs.files.map((f) => ({ what: 'a scenario', path: f })),
        );
        if (targets === null) return;
        // Two runs saving over one knowledge file would each lose the other's learning: the second is refused.
        const lock = lockKnowledge(ctx, targets.get('--knowledge'));
        if (lock === 'failed') return;
        const carry = openKnowledge(ctx, flags.knowledge, targets.get('--knowledge'));
        const outputs = carry === 'failed' ? null : openOutputs(ctx, targets);
        if (outputs === null) {
          lock?.release();
          ctx.exit(EXIT.invalidInput);
          return;
        }
        const started = ctx.io.now();
        const workers = new LazyPool(
          Math.min(flags.workers ?? defaultWorkers(), flags.seeds?.length ?? 1),
          ctx.io.env,
        );
        const sink: { journals: Journal[]; cases: JUnitCase[] } = { journals: [], cases: [] };
        let planned = 0;
        let loadedCount = 0;
        for (const file of inputs.files) {
          const loaded = loadScenarioFile(file);
          if (!loaded.ok) {
            const lines = formatLoadError(loaded.error);
            ctx.warn(...lines);
            ctx.exit(EXIT.invalidInput);
            sink.cases.push(
              errorCase(
                { suite: file, name: file, classname: 'mapek.invalid-scenario', timeMs: 0 },
                { type: loaded.error.kind, message: loaded.error.message, detail: lines.join('\n') },
              ),
            );
            continue;
          }
          loadedCount++;
          const policy = flags.policy ?? loaded.value.scenario.controller.policy;
          const ref =
            flags.policy === undefined ? await preparePolicy(ctx, policy, { scenarioFile: file }) : 'builtin';
          if (ref === null) continue;
          if (!withinCostLimit(ctx, loaded.value, flags.costLimit)) continue;
          const seeds = flags.seeds ?? [flags.seed ?? loaded.value.scenario.seed];
          planned += seeds.length;
          const executor = workers.executor(
            seeds.length,
            ref === 'builtin' ? modules : [...modules, ref],
            ctx.io.now,
          );
          await runOne(
            ctx,
            loaded.value,
            seeds,
            flags,
            outputs,
            sink,
            carry === 'failed' ? null : carry,
            executor,
          );
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
          const single = inputs.files.length === 1 && planned === 1;
          const [only] = sink.journals;
          const payload = single && only !== undefined ? only : sink.journals;
          const written = outputs.json.write(serializeJournals(payload));
          reportWrite(ctx, written.ok ? outputs.json.commit() : written);
        }
        if (outputs.junit !== null) {
          const written = outputs.junit.write(renderJUnit(sink.cases));
          reportWrite(ctx, written.ok ? outputs.junit.commit() : written);
        }
        if (outputs.trace?.failed === null) reportWrite(ctx, outputs.trace.commit());
        await outputs.reports.commit(ctx, sink.journals);
        await workers.close();
        lock?.release();
      });
  },
};
