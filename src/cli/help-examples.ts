import type { Command } from 'commander';

/**
 * Examples shown at the end of each subcommand's `--help`, kept in one table so every command has some and
 * they read alike. Each is a command line a user can paste in a fresh project that installed mapek.
 */
export const HELP_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  run: [
    'mapek run node_modules/mapek/scenarios/             # every bundled scenario, a verdict each',
    'mapek run my.yaml --seeds 1..50 --policy kubernetes  # p50/p95/p99 over 50 seeds, a baseline',
    'mapek run my.yaml --json run.json --junit junit.xml  # the journal and a CI report',
    'mapek run my.yaml --seeds 1..20 --html sweep.html    # a page: distributions and the worst seeds',
    'mapek run my.yaml --seeds 1..200 --json runs.json    # Ctrl-C keeps the finished seeds; add --resume to go on',
    'mapek run my.yaml --seeds 1..200 --shard 2/4 --results s2.ndjson  # one of four machines',
  ],
  explore: [
    'mapek explore node_modules/mapek/docs/examples/async-orders.yaml --seed 1',
    'mapek explore my.yaml --runs 500 --kinds node-crash,network-partition --out cx.yaml',
  ],
  validate: ['mapek validate my.yaml scenarios/    # every problem as file:line:col: field: message'],
  schema: ['mapek schema > mapek-scenario.schema.json'],
  replay: ['mapek replay run.json   # run.json from `mapek run my.yaml --json run.json`; exit 0: same trace'],
  report: [
    'mapek report run.json -o run.html               # one run: service levels, faults, cycles, actions',
    'mapek report bench/results/recovery.json -o bench.html',
  ],
  merge: [
    'mapek merge s1.ndjson s2.ndjson s3.ndjson s4.ndjson --json runs.json --junit junit.xml',
    'mapek merge --bench bench/results shards/bench-shard-*-of-3.json',
  ],
  bench: [
    'mapek bench --quick --out bench-results',
    'mapek bench --quick --shard 1/3 --out shards   # then: mapek merge --bench bench/results shards/*.json',
    'mapek bench --scenarios my.yaml --policies mapek kubernetes --seeds 10',
  ],
};

/** Adds its examples to every registered subcommand's help. */
export const addHelpExamples = (program: Command): void => {
  for (const command of program.commands) {
    const examples = HELP_EXAMPLES[command.name()];
    if (examples === undefined) continue;
    command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
  }
};
