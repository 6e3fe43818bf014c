import { z } from 'zod';
import { err, ok, type Result } from '../base/result.ts';
import { renderBenchReport } from '../bench/bench-page.ts';
import { BENCH_FORMAT, type BenchReport } from '../bench/run-bench.ts';
import { type ReportSource, renderRunReport } from '../report/html/run-report.ts';
import { renderSweepReport } from '../report/html/sweep-report.ts';
import type { Journal } from '../report/journal.ts';
import { readJournals } from '../report/journal-reader.ts';
import { READABLE_JOURNAL_FORMATS, upgradeJournal } from '../report/journal-versions.ts';

/** A file `mapek report` cannot draw. */
export interface ReportInputError {
  readonly kind: 'invalid-report-input';
  readonly file: string;
  readonly message: string;
}

/** The fields of a journal the report reads beyond what replay checks. */
const drawable = z.looseObject({
  durationMs: z.number().nonnegative(),
  verdict: z.enum(['pass', 'fail']),
  slos: z.array(z.looseObject({ name: z.string(), target: z.number() })),
  faults: z.array(
    z.looseObject({
      id: z.string(),
      kind: z.string(),
      injectedAtMs: z.number(),
      actions: z.array(z.unknown()),
    }),
  ),
  summary: z.looseObject({ availability: z.number(), faults: z.number() }),
  timeline: z
    .looseObject({
      series: z.array(
        z.looseObject({
          service: z.string(),
          t: z.array(z.number()),
          columns: z.record(z.string(), z.array(z.number())),
        }),
      ),
      actions: z.array(z.unknown()),
    })
    .optional(),
});

const bench = z.looseObject({
  format: z.literal(BENCH_FORMAT),
  scenarios: z.array(z.looseObject({ name: z.string(), file: z.string(), seeds: z.array(z.number()) })),
  recovery: z.array(z.looseObject({ scenario: z.string(), policy: z.string() })),
});

const failure = (file: string, message: string): Result<never, ReportInputError> =>
  err({ kind: 'invalid-report-input', file, message });

const firstIssue = (e: z.ZodError, prefix: readonly (string | number)[]): string => {
  const i = e.issues[0];
  const where = [...prefix, ...(i?.path ?? [])].map(String).join('.');
  return `${where === '' ? '' : `${where}: `}${i?.message ?? 'invalid'}`;
};

/**
 * Renders the report of a file: a journal (`mapek run --json`: one run, or an array of runs) or a benchmark
 * (`recovery.json`). The page is chosen by the content: one journal, a run report; several, a sweep report;
 * a benchmark, policies side by side.
 */
export const renderReportFile = (text: string, file: string): Result<string, ReportInputError> => {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return failure(file, `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && 'format' in data) {
    if (data.format === BENCH_FORMAT) {
      const parsed = bench.safeParse(data);
      if (!parsed.success)
        return failure(file, `not a ${BENCH_FORMAT} file: ${firstIssue(parsed.error, [])}`);
      // Checked above for every field the page reads first; the rest is as `mapek bench` writes it.
      return ok(renderBenchReport(data as BenchReport));
    }
    if (!READABLE_JOURNAL_FORMATS.some((f) => f === data.format)) {
      return failure(
        file,
        `format ${JSON.stringify(data.format)} is neither ${READABLE_JOURNAL_FORMATS.join(', ')} nor ${BENCH_FORMAT}`,
      );
    }
  }
  const replayable = readJournals(text, file);
  if (!replayable.ok) return failure(file, replayable.error.message);
  // An older journal is drawn as this version would have written it.
  const items: unknown[] = (Array.isArray(data) ? data : [data]).map(upgradeJournal);
  for (const [i, item] of items.entries()) {
    const parsed = drawable.safeParse(item);
    if (!parsed.success) {
      return failure(
        file,
        `not a drawable journal: ${firstIssue(parsed.error, Array.isArray(data) ? [i] : [])}`,
      );
    }
  }
  // Every field the pages read is checked above; the journal was written by `buildJournal`.
  const journals = items as Journal[];
  const source: ReportSource = { journalFile: file };
  const [only] = journals;
  return ok(
    journals.length === 1 && only !== undefined
      ? renderRunReport(only, source)
      : renderSweepReport(journals, source),
  );
};
