/**
 * `npm run bench`: the recovery-time benchmark, the learning curves and simulator throughput, as
 * `mapek bench` runs them (flags pass through: `npm run bench -- --quick`). The engine is `src/bench/`.
 */
import { performance } from 'node:perf_hooks';
import { applyCliV8Flags } from '../src/base/jit-tuning.ts';
import { runCli } from '../src/cli/cli.ts';

// The V8 flags `mapek bench` runs with, so both ways of running the benchmark time the same thing.
applyCliV8Flags();

process.exitCode = await runCli(['node', 'mapek', 'bench', ...process.argv.slice(2)], {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  now: () => performance.now(),
});
