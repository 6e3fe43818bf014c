import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { Option } from 'commander';
import type { AtomicFile } from '../base/atomic-write.ts';
import type { BenchReport } from '../bench/run-bench.ts';
import type { Journal } from '../report/journal.ts';
import type { RunOptions, RunResult } from '../scenario/runner.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { openOutputFiles } from './open-outputs.ts';

/** The report flags of `mapek run`, as commander hands them over. */
export interface ReportFlags {
  readonly html?: string;
  readonly otel?: string;
  readonly inspect?: string;
}

/** `--html`: a self-contained page of the runs. */
export const HTML_OPTION = new Option(
  '--html <file>',
  'write a self-contained HTML report: one run, or a sweep (distributions, worst seeds) for several',
);

/** `--otel`: the runs as OTLP/JSON spans. */
export const OTEL_OPTION = new Option(
  '--otel <file>',
  'write the runs as OTLP/JSON spans (one trace per run; faults, MAPE-K cycles and their phases, in sim time from 2000-01-01T00:00:00Z)',
);

/** `--inspect`: the loop's actors as @statelyai/inspect events. */
export const INSPECT_OPTION = new Option(
  '--inspect <file>',
  "write the MAPE-K loop's XState actors as @statelyai/inspect events (a JSON array), in sim time",
);

/** The inspection events of several runs, each run's actors named `<scenario>@<seed>/<actor>`. */
const prefixed = (prefix: string, events: readonly StatelyInspectionEvent[]): StatelyInspectionEvent[] => {
  const name = (n: string) => `${prefix}/${n}`;
  const maybe = (n: string | undefined) => (n === undefined ? undefined : name(n));
  return events.map((e): StatelyInspectionEvent => {
    switch (e.type) {
      case '@xstate.actor':
        return {
          ...e,
          name: name(e.name),
          sessionId: name(e.sessionId),
          rootId: maybe(e.rootId),
          parentId: maybe(e.parentId),
        };
      case '@xstate.event':
        return { ...e, sessionId: name(e.sessionId), rootId: name(e.rootId), sourceId: maybe(e.sourceId) };
      default:
        return { ...e, sessionId: name(e.sessionId), rootId: name(e.rootId) };
    }
  });
};

/**
 * The report files of one `mapek run`, opened before the first run (a bad path fails at once) and written
 * after the last. Without the flags nothing is recorded, loaded or written: the OpenTelemetry and HTML code
 * is imported only when asked for.
 */
export class RunReports {
  private readonly inspection: { prefix: string; events: readonly StatelyInspectionEvent[] }[] = [];

  private constructor(
    private readonly html: AtomicFile | null,
    private readonly otel: AtomicFile | null,
    private readonly inspect: AtomicFile | null,
  ) {}

  /** Opens the files the flags name; null (after a warning) when one cannot be written. */
  static open(
    ctx: CliContext,
    paths: Readonly<Record<'html' | 'otel' | 'inspect', string | undefined>>,
  ): RunReports | null {
    const files = openOutputFiles(ctx, paths);
    return files === null ? null : new RunReports(files.html, files.otel, files.inspect);
  }

  /** What each run must record: the timeline for a journal, a page or spans; the actors for `--inspect`. */
  runOptions(journal: boolean): Pick<RunOptions, 'timeline' | 'inspect'> {
    return {
      ...(journal || this.html !== null || this.otel !== null ? { timeline: true } : {}),
      ...(this.inspect !== null ? { inspect: true } : {}),
    };
  }

  /** Keeps what a finished run recorded for the files written at the end. */
  add(journal: Journal, run: RunResult): void {
    if (this.inspect !== null && run.inspection !== null) {
      this.inspection.push({ prefix: `${journal.scenario.name}@${journal.seed}`, events: run.inspection });
    }
  }

  /** Drops the files (an early exit). */
  abort(): void {
    for (const f of [this.html, this.otel, this.inspect]) f?.abort();
  }

  /** Writes every report of the runs, atomically. */
  async commit(ctx: CliContext, journals: readonly Journal[]): Promise<void> {
    const put = (file: AtomicFile, text: string) => {
      const done = file.finish(text);
      if (!done.ok) {
        ctx.warn(`mapek: ${done.error.message}`);
        ctx.exit(EXIT.invalidInput);
      }
    };
    if (this.html !== null) {
      const { renderRunReport } = await import('../report/html/run-report.ts');
      const { renderSweepReport } = await import('../report/html/sweep-report.ts');
      const [only] = journals;
      put(
        this.html,
        journals.length === 1 && only !== undefined ? renderRunReport(only) : renderSweepReport(journals),
      );
    }
    if (this.otel !== null) {
      const { otlpTraceJson } = await import('../report/otel/otlp-file.ts');
      put(this.otel, otlpTraceJson(journals));
    }
    if (this.inspect !== null) {
      const { serializeInspection } = await import('../mapek/inspection.ts');
      const [only] = this.inspection;
      const events =
        this.inspection.length === 1 && only !== undefined
          ? only.events
          : this.inspection.flatMap((r) => prefixed(r.prefix, r.events));
      put(this.inspect, serializeInspection(events));
    }
  }
}

/** `mapek bench --html`: the benchmark's page, written atomically (the renderer loaded only then). */
export const writeBenchHtml = async (ctx: CliContext, path: string, report: BenchReport): Promise<void> => {
  const { renderBenchReport } = await import('../bench/bench-page.ts');
  const { writeFileAtomic } = await import('../base/atomic-write.ts');
  const written = writeFileAtomic(path, renderBenchReport(report));
  if (!written.ok) {
    ctx.warn(`mapek: ${written.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  ctx.print(`wrote ${path}`);
};
