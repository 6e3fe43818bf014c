import type { CommandModule } from '../command-module.ts';

/** `mapek replay`: reruns the scenarios embedded in a journal file and compares the whole journal. */
export const replayCommand: CommandModule = {
  name: 'replay',
  register(program, ctx) {
    program
      .command('replay')
      .description(
        'rerun the scenario embedded in a journal (--json output) with its seed, policy and starting knowledge, and compare the whole journal outside its wall-clock block',
      )
      .argument('<journal>', 'a journal file written by `mapek run --json` (one journal or an array)')
      .addHelpText(
        'after',
        '\nExit codes: 0 every journal replays the same, 1 a journal differs (the first differing field is named), 2 the journal is unreadable or invalid, 3 internal error.',
      )
      .action(async (file: string) => {
        // The replay (the run, the journal reader and differ) is loaded only when it runs.
        const { replayAction } = await import('../replay-action.ts');
        await replayAction(ctx, file);
      });
  },
};
