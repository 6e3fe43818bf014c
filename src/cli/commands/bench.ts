import { Option } from 'commander';
import { DEFAULT_COST_LIMIT } from '../../scenario/cost-estimate.ts';
import { type BenchFlags, DEFAULT_OUT, DEFAULT_SEEDS, positive, QUICK_SEEDS } from '../bench-flags.ts';
import type { CommandModule } from '../command-module.ts';
import { collectPolicy } from '../policy-flags.ts';
import { parseShard } from '../shard.ts';
import { workersOption } from '../worker-flags.ts';

/** `mapek bench`: recovery-time benchmark of every policy on the same faults, learning curves, throughput. */
export const benchCommand: CommandModule = {
  name: 'bench',
  register(program, ctx) {
    program
      .command('bench')
      .description(
        'benchmark recovery: every scenario x every policy x N seeds on identical faults, learning curves, simulator throughput',
      )
      .addOption(
        new Option(
          '--seeds <n>',
          `seeds per scenario (default ${DEFAULT_SEEDS}; ${QUICK_SEEDS} with --quick)`,
        ).argParser(positive('seeds', 10_000)),
      )
      .option('--scenarios <paths...>', 'scenario files or directories (default: the bundled scenarios)')
      .addOption(
        new Option(
          '--policies <names...>',
          'policies to compare: built-in names and .js/.mjs controller modules (default: every built-in)',
        ).argParser(collectPolicy),
      )
      .option('--out <dir>', 'where to write recovery.json and recovery.md', DEFAULT_OUT)
      .option(
        '--quick',
        'a CI-sized run: 3 seeds, one seed of scenarios longer than an hour, shorter learning curves, no 1,000-node case',
      )
      .addOption(workersOption('the recovery runs and learning curves'))
      .addOption(
        new Option(
          '--shard <i/n>',
          'run only the i-th of n equal parts of the recovery runs and learning sequences (the throughput cases in shard 1) and write <out>/bench-shard-i-of-n.json; `mapek merge --bench <dir>` folds the shards into the report one unsharded bench writes',
        ).argParser(parseShard),
      )
      .option('--no-learning', 'skip the learning curves')
      .option('--no-throughput', 'skip the simulator-throughput cases')
      .option('--check', 'exit 1 when a target is missed (by default the benchmark only reports)')
      .option(
        '--no-cost-limit',
        `bench scenarios whose estimated cost per run is over the limit (${DEFAULT_COST_LIMIT.toExponential()} visits; see docs/cli.md)`,
      )
      .option('--html <file>', 'also write the report as a self-contained HTML page (policies side by side)')
      .addHelpText(
        'after',
        '\nWrites <out>/recovery.json and <out>/recovery.md; prints each target as PASS or MISS.\n' +
          'Exit codes: 0 done (with --check: every target met), 1 a target missed (--check only), 2 invalid input, 3 internal error.',
      )
      .action(async (flags: BenchFlags) => {
        // The benchmark (its runs, tables and pool) is loaded only when it runs.
        const { benchAction } = await import('../bench-action.ts');
        await benchAction(ctx, flags);
      });
  },
};
