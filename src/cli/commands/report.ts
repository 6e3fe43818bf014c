import type { CommandModule } from '../command-module.ts';
import type { ReportCommandFlags } from '../report-action.ts';

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
      .action(async (file: string, flags: ReportCommandFlags) => {
        // The renderers (and the journal reader) are loaded only when a page is drawn.
        const { reportAction } = await import('../report-action.ts');
        reportAction(ctx, file, flags);
      });
  },
};
