import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option } from 'commander';
import { type KnowledgeFileData, loadKnowledgeFile, saveKnowledgeFile } from '../../mapek/knowledge-file.ts';
import { AtomicFile, type WriteError } from '../../report/atomic-write.ts';
import {
  formatFailedSlos,
  formatLoadError,
  formatRunLine,
  formatSweep,
} from '../../report/console-report.ts';
import { formatWallSeconds } from '../../report/format.ts';
import { buildJournal, type Journal, serializeJournals } from '../../report/journal.ts';
import { errorCase, type JUnitCase, junitCaseOf, renderJUnit } from '../../report/junit.ts';
import { summarizeSweep } from '../../report/sweep-summary.ts';
import { traceChunk } from '../../report/trace-file.ts';
import { type LoadedScenario, loadScenarioFile } from '../../scenario/loader.ts';
import { runScenario } from '../../scenario/runner.ts';
import { POLICY_NAMES, type PolicyName } from '../../scenario/schema/controller.ts';
import type { CliContext } from '../cli-context.ts';
import type { CommandModule } from '../command-module.ts';
import { EXIT } from '../exit-codes.ts';
import { expandInputs } from '../inputs.ts';
import { sweepProgress } from '../progress.ts';
import { HTML_OPTION, INSPECT_OPTION, OTEL_OPTION, type ReportFlags, RunReports } from '../report-flags.ts';
import { parseSeed, parseSeedRange } from '../seeds.ts';

/** The options of `mapek run`, as commander hands them over. */
interface RunFlags extends ReportFlags {
  readonly seed?: number;
  readonly seeds?: number[];
  readonly policy?: PolicyName;
  readonly json?: string;
  readonly junit?: string;
  readonly trace?: string;
  readonly knowledge?: string;
}

/**
 * The knowledge carried from run to run with `--knowledge`: loaded before the first run, handed to each run,
 * replaced by what the run learned and saved after it.
 */
interface KnowledgeCarry {
  readonly path: string;
  current: KnowledgeFileData | undefined;
}

/**
 * Opens `--knowledge`: an existing file must be a readable mapek knowledge file (anything else is refused,
 * exit 2, and left untouched); a missing one starts the loop from nothing and is created after the first run.
 */
const openKnowledge = (ctx: CliContext, path: string | undefined): KnowledgeCarry | null | 'failed' => {
  if (path === undefined) return null;
  if (!existsSync(path)) {
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      ctx.warn(`mapek: cannot write knowledge file ${path}: no such directory ${dir}`);
      return 'failed';
    }
    return { path, current: undefined };
  }
  const loaded = loadKnowledgeFile(path);
  if (!loaded.ok) {
    ctx.warn(`mapek: ${loaded.error.message}; the file was not changed`);
    return 'failed';
  }
  return { path, current: loaded.value };
};

/** Takes what a run learned as the knowledge of the next run, and saves it (atomically). */
const carryKnowledge = (ctx: CliContext, carry: KnowledgeCarry, learned: unknown): void => {
  if (learned === null || learned === undefined) return;
  const data = learned as KnowledgeFileData;
  const saved = saveKnowledgeFile(carry.path, data);
  if (!saved.ok) {
    ctx.warn(`mapek: ${saved.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  carry.current = data;
};

/** Output files, opened before the first run so a bad path fails in a second, not after an hour. */
interface Outputs {
  readonly json: AtomicFile | null;
  readonly junit: AtomicFile | null;
  readonly trace: AtomicFile | null;
  readonly reports: RunReports;
}

const openOutputs = (ctx: CliContext, flags: RunFlags): Outputs | null => {
  const opened: AtomicFile[] = [];
  const open = (path: string | undefined): AtomicFile | null | 'failed' => {
    if (path === undefined) return null;
    const f = AtomicFile.open(path);
    if (!f.ok) {
      ctx.warn(`mapek: ${f.error.message}`);
      return 'failed';
    }
    opened.push(f.value);
    return f.value;
  };
  const json = open(flags.json);
  const junit = open(flags.junit);
  const trace = open(flags.trace);
  const reports =
    json === 'failed' || junit === 'failed' || trace === 'failed' ? null : RunReports.open(ctx, flags);
  if (json === 'failed' || junit === 'failed' || trace === 'failed' || reports === null) {
    for (const f of opened) f.abort();
    return null;
  }
  return { json, junit, trace, reports };
};

const reportWrite = (ctx: CliContext, r: { ok: true } | { ok: false; error: WriteError }): void => {
  if (!r.ok) {
    ctx.warn(`mapek: ${r.error.message}`);
    ctx.exit(EXIT.invalidInput);
  }
};

/** Runs every seed of one scenario, printing its verdict and collecting journals and JUnit cases. */
const runOne = (
  ctx: CliContext,
  loaded: LoadedScenario,
  seeds: readonly number[],
  flags: RunFlags,
  outputs: Outputs,
  sink: { journals: Journal[]; cases: JUnitCase[] },
  carry: KnowledgeCarry | null,
): void => {
  const { scenario } = loaded;
  const journals: Journal[] = [];
  const progress = sweepProgress(ctx.io, scenario.name, seeds.length);
  const started = ctx.io.now();
  try {
    for (const seed of seeds) {
      const t0 = ctx.io.now();
      let result: ReturnType<typeof runScenario>;
      try {
        result = runScenario(scenario, {
          seed,
          ...(flags.policy === undefined ? {} : { policy: flags.policy }),
          keepTrace: outputs.trace !== null,
          ...(carry?.current === undefined ? {} : { knowledge: carry.current }),
          ...outputs.reports.runOptions(outputs.json !== null),
        });
      } catch (e) {
        progress.stop();
        ctx.internalError(`while running ${scenario.name} (${loaded.file}) with seed ${seed}`, e);
        sink.cases.push(
          errorCase(
            {
              suite: scenario.name,
              name: `${scenario.name} [seed ${seed}]`,
              classname: `mapek.${scenario.name}`,
              timeMs: ctx.io.now() - t0,
            },
            { type: 'internal', message: e instanceof Error ? e.message : String(e), detail: loaded.file },
          ),
        );
        break;
      }
      if (!result.ok) {
        progress.stop();
        ctx.warn(`ERROR ${scenario.name} (${loaded.file}): ${result.error.message}`);
        ctx.exit(EXIT.invalidInput);
        sink.cases.push(
          errorCase(
            {
              suite: scenario.name,
              name: `${scenario.name} [${seeds.length === 1 ? `seed ${seed}` : `seeds ${seeds[0]}..${seeds[seeds.length - 1]}`}]`,
              classname: `mapek.${scenario.name}`,
              timeMs: 0,
            },
            { type: result.error.kind, message: result.error.message, detail: loaded.file },
          ),
        );
        break;
      }
      if (carry !== null) carryKnowledge(ctx, carry, result.value.knowledge);
      const journal = buildJournal(result.value, loaded, { wallMs: ctx.io.now() - t0 });
      if (outputs.trace !== null)
        reportWrite(ctx, outputs.trace.write(traceChunk(journal, result.value.traceLines)));
      journals.push(journal);
      outputs.reports.add(journal, result.value);
      sink.cases.push(junitCaseOf(journal));
      if (journal.verdict === 'fail') ctx.exit(EXIT.sloViolated);
      progress.tick();
    }
  } finally {
    progress.stop();
  }
  // Seeds that ran before an error still count, in the reports and in the verdict.
  sink.journals.push(...journals);
  const [only] = journals;
  if (journals.length === 1 && only !== undefined) {
    ctx.print(formatRunLine(only), ...formatFailedSlos(only.slos));
  } else if (journals.length > 1) {
    ctx.print(...formatSweep(summarizeSweep(journals), ctx.io.now() - started));
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
          '--policy <name>',
          "drive the cluster with this controller instead of the scenario's",
        ).choices(POLICY_NAMES),
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
      .addHelpText(
        'after',
        '\nExit codes: 0 every SLO met, 1 an SLO violated, 2 invalid input or usage, 3 internal error.',
      )
      .action((paths: string[], flags: RunFlags): Promise<void> | undefined => {
        const inputs = expandInputs(paths);
        for (const e of inputs.errors) {
          ctx.warn(`mapek: ${e.message}`);
          ctx.exit(EXIT.invalidInput);
        }
        const carry = openKnowledge(ctx, flags.knowledge);
        if (carry === 'failed') {
          ctx.exit(EXIT.invalidInput);
          return;
        }
        const outputs = openOutputs(ctx, flags);
        if (outputs === null) {
          ctx.exit(EXIT.invalidInput);
          return;
        }
        const started = ctx.io.now();
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
          const seeds = flags.seeds ?? [flags.seed ?? loaded.value.scenario.seed];
          planned += seeds.length;
          runOne(ctx, loaded.value, seeds, flags, outputs, sink, carry);
        }
        const passed = sink.journals.filter((j) => j.verdict === 'pass').length;
        if (inputs.files.length > 1 || planned > 1) {
          ctx.print(
            `${loadedCount} scenario${loadedCount === 1 ? '' : 's'}, ${sink.journals.length} run${sink.journals.length === 1 ? '' : 's'}: ${passed} passed, ${sink.journals.length - passed} failed  [${formatWallSeconds(ctx.io.now() - started)}]`,
          );
        }
        if (outputs.json !== null) {
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
        if (outputs.trace !== null) reportWrite(ctx, outputs.trace.commit());
        return outputs.reports.commit(ctx, sink.journals);
      });
  },
};
