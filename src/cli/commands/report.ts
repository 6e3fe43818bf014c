import { writeFileAtomic } from '../../base/atomic-write.ts';
import { readRegularTextFile } from '../../base/read-regular-file.ts';
import { MAX_JOURNAL_BYTES } from '../../report/journal-reader.ts';
import type { CommandModule } from '../command-module.ts';
import { EXIT } from '../exit-codes.ts';

/** The options of `mapek report`. */
interface ReportFlags {
  readonly output: string;
}

/** `mapek report`: a self-contained HTML page of a journal (one run or a sweep) or of a benchmark. */
export const reportCommand: CommandModule = {
  name: 'report',
  register(program, ctx) {
    program
      .command('report')
      .description(
        'draw a journal (mapek run --json) or a benchmark (recovery.json) as one self-contained HTML file',
      )
      .argument('<file>', 'a journal or a recovery.json')
      .requiredOption('-o, --output <file>', 'the HTML file to write')
      .addHelpText(
        'after',
        '\nThe page needs no network: styles and charts (SVG) are inline. Exit codes: 0 written, 2 invalid input.',
      )
      .action(async (file: string, flags: ReportFlags) => {
        // A regular file only, and bounded as replay bounds journals: a FIFO or a huge file is refused unread.
        const read = readRegularTextFile(file, MAX_JOURNAL_BYTES);
        if (!read.ok) {
          ctx.warn(`mapek: cannot read ${file}: ${read.error.reason}`);
          ctx.exit(EXIT.invalidInput);
          return;
        }
        const text = read.value;
        // Loaded here, not at start-up: every other command starts as fast as before.
        const { renderReportFile } = await import('../report-input.ts');
        const page = renderReportFile(text, file);
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
      });
  },
};
