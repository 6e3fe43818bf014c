import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/atomic-write.ts';
import { err, ok, type Result } from '../base/result.ts';
import { renderMarkdown } from './render-markdown.ts';
import type { BenchReport } from './run-bench.ts';

/** Where a benchmark wrote its results. */
export interface BenchFiles {
  readonly json: string;
  readonly markdown: string;
}

/** A results file that could not be written. */
export interface BenchWriteError {
  readonly kind: 'write-failed';
  readonly path: string;
  readonly message: string;
}

/**
 * Writes `recovery.json` (every number, for tools) and `recovery.md` (the tables, for people) into `dir`,
 * creating it if need be; each file atomically, so an interrupted run leaves the previous results whole.
 */
export const writeBenchFiles = (dir: string, report: BenchReport): Result<BenchFiles, BenchWriteError> => {
  const json = join(dir, 'recovery.json');
  const markdown = join(dir, 'recovery.md');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return err({
      kind: 'write-failed',
      path: dir,
      message: `cannot create ${dir}: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const a = writeFileAtomic(json, `${JSON.stringify(report, null, 2)}\n`);
  if (!a.ok) return a;
  const b = writeFileAtomic(markdown, renderMarkdown(report));
  if (!b.ok) return b;
  return ok({ json, markdown });
};
