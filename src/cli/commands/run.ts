import { Option } from 'commander';
import { DEFAULT_COST_LIMIT } from '../../scenario/cost-estimate.ts';
import type { CommandModule } from '../command-module.ts';
import { parsePolicy } from '../policy-flags.ts';
import { HTML_OPTION, INSPECT_OPTION, OTEL_OPTION } from '../report-flags.ts';
import type { RunFlags } from '../run-sweep.ts';
import { parseSeed, parseSeedRange } from '../seeds.ts';
import { parseShard } from '../shard.ts';
import { workersOption } from '../worker-flags.ts';

/** `mapek run`: runs scenarios, prints verdicts, writes journals, JUnit XML and traces. */
export const runCommand: CommandModule = {
  name: 'run',
  register(program, ctx) {
    program
      .command('run')
      .description('run scenario files (or every *.yaml, *.yml, *.json in a directory) and judge their SLOs')
      .argument('<paths...>', 'scenario files or directories')
      .addOption(
        new Option('--seed <n>', "run with this seed instead of the scenario's").argParser(parseSeed),
      )
      .addOption(
        new Option(
          '--seeds <a..b>',
          'sweep every seed from a to b (inclusive); a scenario fails if any seed fails',
        )
          .argParser(parseSeedRange)
          .conflicts('seed'),
      )
      .addOption(
        new Option(
          '--policy <name|file>',
          "drive the cluster with this controller instead of the scenario's: a built-in name or a .js/.mjs controller module (docs/custom-controllers.md)",
        ).argParser(parsePolicy),
      )
      .option('--json <file>', 'write the journal (one run) or an array of journals (several runs) to a file')
      .option('--junit <file>', 'write a JUnit XML report: one test case per scenario and seed')
      .option(
        '--trace <file>',
        'write the event trace as NDJSON: a header line per run, then one event per line',
      )
      .addOption(HTML_OPTION)
      .addOption(OTEL_OPTION)
      .addOption(INSPECT_OPTION)
      .option(
        '--knowledge <file>',
        'start the MAPE-K loop from this knowledge file and save what it learns back to it after each run (created if missing; a file that is not a mapek knowledge file is refused and left as it is)',
      )
      .addOption(workersOption('the seeds of a sweep'))
      .option(
        '--results <file>',
        'stream each finished run to this NDJSON file as it completes (default with --json and several runs: <json>.results.ndjson), so an interrupted sweep keeps its finished runs',
      )
      .option(
        '--resume',
        'continue the sweep the results file holds (the same scenarios, policy, seeds and shard): run only the seeds it lacks, then write every output as one uninterrupted run would',
      )
      .addOption(
        new Option(
          '--shard <i/n>',
          "run only the i-th of n equal parts of the runs (every n-th run, from the i-th); `mapek merge` combines the shards' results files into what one unsharded run writes",
        ).argParser(parseShard),
      )
      .option(
        '--no-cost-limit',
        `run scenarios whose estimated cost is over the limit (${DEFAULT_COST_LIMIT.toExponential()} visits a run; see docs/cli.md)`,
      )
      .addHelpText(
        'after',
        '\nExit codes: 0 every SLO met, 1 an SLO violated, 2 invalid input or usage, 3 internal error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).',
      )
      .action(async (paths: string[], flags: RunFlags) => {
        // The runs and their outputs are loaded only when the command runs, not for `--help`.
        const { runAction } = await import('../run-action.ts');
        await runAction(ctx, paths, flags);
      });
  },
};
