import type { AtomicFile, WriteError } from '../base/atomic-write.ts';
import type { ResolvedOutputs } from '../base/output-paths.ts';
import type { Shard } from '../base/shard.ts';
import type { PolicyName } from '../controllers/controller-spec.ts';
import { consoleStyle, formatRun, formatSweep } from '../report/console-report.ts';
import { buildJournal, type Journal, knowledgeDigest } from '../report/journal.ts';
import { errorCase, type JUnitCase, junitCaseOf } from '../report/junit.ts';
import { summarizeSweep } from '../report/sweep-summary.ts';
import { traceChunk } from '../report/trace-file.ts';
import type { LoadedScenario } from '../scenario/loader.ts';
import type { SweepExecutor } from '../sweep/executor.ts';
import { sweep } from '../sweep/sweep.ts';
import { thrownError } from '../sweep/sweep-job.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { openOutputFiles } from './open-outputs.ts';
import { runProgress, sweepProgress } from './progress.ts';
import { type ReportFlags, RunReports } from './report-flags.ts';
import { type ResultsFile, runKey } from './results-file.ts';
import { carryKnowledge, type KnowledgeCarry } from './run-knowledge.ts';

/** The options of `mapek run`, as commander hands them over. */
export interface RunFlags extends ReportFlags {
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
  readonly results?: string;
  readonly resume?: boolean;
  readonly shard?: Shard;
}

/** Output files, opened before the first run so a bad path fails in a second, not after an hour. */
export interface Outputs {
  readonly json: AtomicFile | null;
  readonly junit: AtomicFile | null;
  readonly trace: AtomicFile | null;
  readonly reports: RunReports;
}

export const openOutputs = (ctx: CliContext, targets: ResolvedOutputs): Outputs | null => {
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

export const reportWrite = (ctx: CliContext, r: { ok: true } | { ok: false; error: WriteError }): void => {
  if (!r.ok) {
    ctx.warn(`mapek: ${r.error.message}`);
    ctx.exit(EXIT.invalidInput);
  }
};

/** A JUnit case for a seed (or a sweep) that could not run. */
export const errorCaseOf = (
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

/** What makes a sweep resumable: the results file it streams to, and whether Ctrl-C stopped it. */
export interface Resumable {
  readonly results: ResultsFile | null;
  /** Runs an earlier command finished, from the results file (by `runKey`): not run again. */
  readonly finished: ReadonlyMap<string, Journal>;
  readonly interrupted: () => boolean;
}

const NOT_RESUMABLE: Resumable = { results: null, finished: new Map(), interrupted: () => false };

/** Runs every seed of one scenario through the sweep, printing its verdict and collecting journals and JUnit cases. */
export const runOne = async (
  ctx: CliContext,
  loaded: LoadedScenario,
  seeds: readonly number[],
  flags: RunFlags,
  outputs: Outputs,
  sink: { journals: Journal[]; cases: JUnitCase[] },
  carry: KnowledgeCarry | null,
  pooled: SweepExecutor | null,
  resumable: Resumable = NOT_RESUMABLE,
): Promise<'done' | 'interrupted'> => {
  const { scenario } = loaded;
  const journals: Journal[] = [];
  const fresh = new Map<number, Journal>();
  const done = (seed: number): Journal | undefined => resumable.finished.get(runKey(loaded.file, seed));
  const todo = seeds.filter((seed) => done(seed) === undefined);
  const progress = sweepProgress(ctx.io, scenario.name, seeds.length);
  for (let i = todo.length; i < seeds.length; i++) progress.tick();
  const errors: JUnitCase[] = [];
  let interrupted = false;
  // One run: its progress in simulated time instead (a sweep's bar counts runs).
  const single = todo.length === 1 && seeds.length === 1 ? runProgress(ctx.io, scenario.name) : null;
  const stopProgress = (): void => {
    progress.stop();
    single?.stop();
  };
  const started = ctx.io.now();
  const runs = sweep(scenario, todo, {
    ...(flags.policy === undefined ? {} : { policy: flags.policy }),
    keepTrace: outputs.trace !== null,
    ...(carry === null ? {} : { knowledge: { carry: true, initial: carry.current } }),
    // A results file holds whole journals (timeline included), whatever else is written.
    ...outputs.reports.runOptions(outputs.json !== null || resumable.results !== null),
    now: ctx.io.now,
    ...(single === null ? {} : { onProgress: (_job, simMs, endMs) => single.advance(simMs, endMs) }),
    // Carried knowledge makes each run wait for the one before: a pool would only add its start-up.
    ...(pooled === null || carry !== null ? {} : { executor: pooled }),
  });
  try {
    for await (const run of runs) {
      // The run is over: its bar goes before anything else is said.
      single?.stop();
      // Ctrl-C: what finished is in the results file; the runs cut short (and their errors) are not.
      if (resumable.interrupted()) {
        interrupted = true;
        break;
      }
      const { outcome, seed } = run;
      if (outcome.kind === 'threw') {
        stopProgress();
        ctx.internalError(
          `while running ${scenario.name} (${loaded.file}) with seed ${seed}`,
          thrownError(outcome),
        );
        errors.push(
          errorCaseOf(loaded, `seed ${seed}`, run.wallMs, { type: 'internal', message: outcome.message }),
        );
        break;
      }
      if (outcome.kind === 'refused') {
        stopProgress();
        ctx.warn(`ERROR ${scenario.name} (${loaded.file}): ${outcome.error.message}`);
        ctx.exit(EXIT.invalidInput);
        const which = seeds.length === 1 ? `seed ${seed}` : `seeds ${seeds[0]}..${seeds[seeds.length - 1]}`;
        errors.push(
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
      fresh.set(seed, journal);
      outputs.reports.add(journal, result);
      if (resumable.results !== null) {
        const kept = resumable.results.add({ file: loaded.file, seed, journal });
        if (!kept.ok) {
          ctx.warn(`mapek: ${kept.error.message}`);
          ctx.exit(EXIT.invalidInput);
        }
      }
      progress.tick();
    }
  } finally {
    stopProgress();
  }
  if (interrupted) return 'interrupted';
  // In seed order, the runs of an earlier, interrupted command among them; seeds that ran before an
  // error still count, in the reports and in the verdict.
  for (const seed of seeds) {
    const journal = done(seed) ?? fresh.get(seed);
    if (journal === undefined) continue;
    journals.push(journal);
    sink.cases.push(junitCaseOf(journal));
    if (journal.verdict === 'fail') ctx.exit(EXIT.sloViolated);
  }
  sink.cases.push(...errors);
  sink.journals.push(...journals);
  const [only] = journals;
  if (journals.length === 1 && only !== undefined) {
    ctx.printStyled(...formatRun(only, consoleStyle(ctx.io)));
  } else if (journals.length > 1) {
    ctx.printStyled(...formatSweep(summarizeSweep(journals), ctx.io.now() - started, consoleStyle(ctx.io)));
  }
  return 'done';
};
