import type { CommandModule } from '../command-module.ts';
import type { MergeFlags } from '../merge-action.ts';

/** `mapek merge`: combines the outputs of a sharded `run` or `bench` into what one unsharded command writes. */
export const mergeCommand: CommandModule = {
  name: 'merge',
  register(program, ctx) {
    program
      .command('merge')
      .description(
        'combine the results files of `run --shard i/n` (or the shard files of `bench --shard i/n` or `explore --shard i/n`) into exactly what one unsharded command writes',
      )
      .argument(
        '<files...>',
        'every shard once: the results files of run (or bench-shard.json files of bench, or the shard files of explore)',
      )
      .option('--json <file>', 'write the journals, as `run --json` of the whole sweep would')
      .option('--junit <file>', 'write the JUnit XML report, as `run --junit` of the whole sweep would')
      .option(
        '--results <file>',
        'write the results file of the whole sweep, as one unsharded run streams it',
      )
      .option(
        '--bench <dir>',
        'the files are bench shards: write recovery.json and recovery.md to this directory',
      )
      .option(
        '--counterexample <file>',
        'the files are explore shards: write the counterexample, if the search found one, here (default: <scenario>.counterexample.yaml here, as explore writes it)',
      )
      .addHelpText(
        'after',
        '\nExit codes: 0 every SLO met (explore: no counterexample), 1 an SLO violated (explore: a counterexample written), 2 the files are not the shards of one finished sweep or search (the message says which shard lacks what), or invalid input, 3 internal error.',
      )
      .action(async (files: string[], flags: MergeFlags) => {
        // The merging (journals, JUnit, the benchmark's tables) is loaded only when it runs.
        const { mergeAction } = await import('../merge-action.ts');
        mergeAction(ctx, files, flags);
      });
  },
};
