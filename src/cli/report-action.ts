import { writeFileAtomic } from '../base/atomic-write.ts';
import { readRegularTextFile } from '../base/read-regular-file.ts';
import { MAX_JOURNAL_BYTES } from '../report/journal-reader.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { renderReportFile } from './report-input.ts';

/** The options of `mapek report`. */
export interface ReportCommandFlags {
  readonly output: string;
}

/** `mapek report`'s action: the page of a journal or a benchmark, written atomically. */
export const reportAction = (ctx: CliContext, file: string, flags: ReportCommandFlags): void => {
  // A regular file only, and bounded as replay bounds journals: a FIFO or a huge file is refused unread.
  const read = readRegularTextFile(file, MAX_JOURNAL_BYTES);
  if (!read.ok) {
    ctx.warn(`mapek: cannot read ${file}: ${read.error.reason}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const page = renderReportFile(read.value, file);
  if (!page.ok) {
    ctx.warn(`mapek: ${page.error.file}: ${page.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const written = writeFileAtomic(flags.output, page.value);
  if (!written.ok) {
    ctx.warn(`mapek: ${written.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  ctx.print(`wrote ${flags.output}`);
};
