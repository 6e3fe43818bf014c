import { Option } from 'commander';
import { POLICY_NAMES } from '../../controllers/controller-spec.ts';
import type { CommandModule } from '../command-module.ts';
import {
  type ExploreFlags,
  parseCount,
  parseFcSeed,
  parseKinds,
  parsePath,
  parseRuns,
} from '../explore-flags.ts';
import { parsePolicy } from '../policy-flags.ts';
import { parseShard } from '../shard.ts';
import { workersOption } from '../worker-flags.ts';

/** `mapek explore`: searches random fault schedules for an SLO violation and writes the smallest one found. */
export const exploreCommand: CommandModule = {
  name: 'explore',
  register(program, ctx) {
    program
      .command('explore')
      .description(
        "search random fault schedules within the scenario's fault budget for an SLO violation; shrink the first one found and write it as a scenario file",
      )
      .argument(
        '<scenario>',
        'a scenario file: its cluster, workload, controller and SLOs are kept, its faults replaced',
      )
      .addOption(
        new Option('--runs <n>', 'schedules to try before giving up').argParser(parseRuns).default(100),
      )
      .addOption(
        new Option('--seed <s>', "fast-check's seed (default: a fresh one, printed)").argParser(parseFcSeed),
      )
      .addOption(
        new Option(
          '--path <p>',
          'with --seed: replay the search straight to the counterexample at this path',
        ).argParser(parsePath),
      )
      .option(
        '--out <file>',
        'where to write the counterexample (default: <scenario>.counterexample.yaml here; with --shard, the shard file <scenario>.explore-shard-i-of-n.json)',
      )
      .addOption(
        new Option(
          '--policy <name>',
          `drive the cluster with this controller instead of the scenario's: ${POLICY_NAMES.join(', ')}, or a .js/.mjs controller module`,
        ).argParser(parsePolicy),
      )
      .addOption(
        new Option(
          '--max-faults <n>',
          'most faults in a schedule (needed when the scenario has no random block)',
        ).argParser(parseCount),
      )
      .addOption(new Option('--max-concurrent <n>', 'most faults in effect at once').argParser(parseCount))
      .addOption(new Option('--max-blast-radius <n>', 'most nodes one fault hits').argParser(parseCount))
      .addOption(
        new Option(
          '--kinds <list>',
          'fault kinds, comma-separated (default: those the random blocks weigh above 0)',
        ).argParser(parseKinds),
      )
      .option('--no-cost-limit', 'explore a scenario whose estimated cost per run is over the limit')
      .addOption(workersOption('the schedules (the search and its answer are the same whatever the number)'))
      .option(
        '--one-way-partitions',
        'also try one-way partitions (gray failures the random generator never makes)',
      )
      .addOption(
        new Option(
          '--shard <i/n>',
          "with --seed: judge only the i-th of n equal parts of the search's candidates (every n-th, from the i-th) and write a shard file; `mapek merge` of every shard's file writes what the unsharded search writes",
        )
          .argParser(parseShard)
          .conflicts('path'),
      )
      .addHelpText(
        'after',
        [
          '',
          "The fault budget comes from the scenario's `faults: [{ random: ... }]` blocks (kinds, window, maxConcurrent,",
          "blastRadius, durations) and these flags. The scenario's own seed drives every run; --seed is fast-check's.",
          '',
          'Exit codes: 0 no counterexample in N runs, 1 a counterexample was found and written, 2 invalid input or',
          'usage, 3 internal error (a schedule made the simulation throw: the file that reproduces it is written too),',
          '130/143 stopped by Ctrl-C/SIGTERM (with --workers 2 or more; nothing written).',
        ].join('\n'),
      )
      .action(async (file: string, flags: ExploreFlags) => {
        // The search (fast-check, the testing code, the worker pool) is loaded only when it runs.
        const { exploreAction } = await import('../explore-action.ts');
        await exploreAction(ctx, file, flags);
      });
  },
};
