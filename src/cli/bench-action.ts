import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../base/atomic-write.ts';
import { formatWallSeconds } from '../base/format.ts';
import { shardText } from '../base/shard.ts';
import { writeBenchFiles } from '../bench/bench-files.ts';
import { BUNDLED_SCENARIOS, planBench } from '../bench/bench-plan.ts';
import { benchShardFile, benchShardName } from '../bench/bench-shards.ts';
import { targetLines } from '../bench/render-markdown.ts';
import { type BenchPhase, type BenchProgress, runBench, runBenchParts } from '../bench/run-bench.ts';
import { POLICY_NAMES } from '../controllers/controller-spec.ts';
import { formatLoadError } from '../report/console-report.ts';
import { loadScenarioFile } from '../scenario/loader.ts';
import { defaultWorkers } from '../sweep/default-workers.ts';
import { type BenchFlags, DEFAULT_OUT, DEFAULT_SEEDS, QUICK_SEEDS } from './bench-flags.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { expandInputs } from './inputs.ts';
import { preflightOutputs, withinCostLimit } from './preflight.ts';
import { preparePolicy } from './prepare-policy.ts';
import { type Progress, sweepProgress } from './progress.ts';
import { writeBenchHtml } from './report-flags.ts';

const PHASE_LABEL: Readonly<Record<BenchPhase, { label: string; unit: string }>> = {
  recovery: { label: 'recovery', unit: 'runs' },
  learning: { label: 'learning', unit: 'sequences' },
  throughput: { label: 'throughput', unit: 'cases' },
};

/** The command as it could be typed again, for the report (the flags that change what is measured). */
const commandLine = (f: BenchFlags): string =>
  [
    'mapek bench',
    f.quick === true ? '--quick' : '',
    f.seeds === undefined ? '' : `--seeds ${f.seeds}`,
    f.scenarios === undefined ? '' : `--scenarios ${f.scenarios.join(' ')}`,
    f.policies === undefined ? '' : `--policies ${f.policies.join(' ')}`,
    f.learning ? '' : '--no-learning',
    f.throughput ? '' : '--no-throughput',
    f.out === DEFAULT_OUT ? '' : `--out ${f.out}`,
  ]
    .filter((x) => x !== '')
    .join(' ');

/**
 * Applies `run`'s cost limit to every scenario file, printing each refusal (files that do not load are
 * left to `planBench`, which reports them with the rest). Returns whether the benchmark may go on.
 */
const allWithinCostLimit = (
  ctx: CliContext,
  files: readonly string[],
  costLimit: boolean | undefined,
): boolean => {
  if (costLimit === false) return true;
  let within = true;
  for (const file of files) {
    const loaded = loadScenarioFile(file);
    if (loaded.ok && !withinCostLimit(ctx, loaded.value, costLimit)) within = false;
  }
  return within;
};

/** `mapek bench`'s action: the plan, its runs (or one shard of them) and the report files. */
export const benchAction = async (ctx: CliContext, flags: BenchFlags): Promise<void> => {
  const paths = flags.scenarios ?? [relative(process.cwd(), BUNDLED_SCENARIOS) || '.'];
  const inputs = expandInputs(paths);
  for (const e of inputs.errors) ctx.warn(`mapek: ${e.message}`);
  const policies = flags.policies ?? [...POLICY_NAMES];
  if (inputs.errors.length > 0) {
    ctx.exit(EXIT.invalidInput);
    return;
  }
  // Checked now, so a bad --out fails in a second rather than after the whole benchmark.
  const targets = preflightOutputs(
    ctx,
    [
      { flag: '--out', path: flags.out, type: 'directory' },
      // A new directory is created with new files in it: only an existing one can hold a bad path.
      ...(existsSync(flags.out)
        ? [
            { flag: '--out', path: join(flags.out, 'recovery.json') },
            { flag: '--out', path: join(flags.out, 'recovery.md') },
          ]
        : []),
    ],
    inputs.files.map((f) => ({ what: 'a scenario', path: f })),
  );
  if (targets === null) return;
  // Refused up front, like `run`: a benchmark multiplies one costly run by seeds x policies.
  if (!allWithinCostLimit(ctx, inputs.files, flags.costLimit)) return;
  // Each module is imported here once (a bad one fails before the first run), then again by each worker.
  const modules: Record<string, string> = {};
  for (const policy of policies) {
    const ref = await preparePolicy(ctx, policy, 'cwd');
    if (ref === null) return;
    if (ref !== 'builtin') modules[ref.given] = ref.absolutePath;
  }
  const planned = planBench({
    scenarioFiles: inputs.files,
    policies,
    seeds: flags.seeds ?? (flags.quick === true ? QUICK_SEEDS : DEFAULT_SEEDS),
    quick: flags.quick === true,
    learning: flags.learning,
    throughput: flags.throughput,
    workers: flags.workers ?? defaultWorkers(),
  });
  if ('errors' in planned) {
    for (const e of planned.errors) ctx.warn(...formatLoadError(e));
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const plan = { ...planned.plan, modules };
  const command = commandLine(flags);
  let bar: Progress | null = null;
  let phase: BenchPhase | null = null;
  const onProgress = (p: BenchProgress) => {
    if (p.phase !== phase) {
      bar?.stop();
      phase = p.phase;
      const { label, unit } = PHASE_LABEL[p.phase];
      bar = sweepProgress(ctx.io, label, p.total, unit);
    }
    bar?.tick();
    if (p.done === p.total) {
      bar?.stop();
      bar = null;
    }
  };
  if (flags.shard !== undefined) {
    const parts = await runBenchParts(plan, onProgress, flags.shard).finally(() => bar?.stop());
    const path = join(flags.out, benchShardName(flags.shard));
    mkdirSync(flags.out, { recursive: true });
    // Recorded without --out: `mapek merge --bench <dir>` names where the whole report goes.
    const whole = commandLine({ ...flags, out: DEFAULT_OUT });
    const written = writeFileAtomic(
      path,
      `${JSON.stringify(benchShardFile(plan, whole, flags.shard, parts))}\n`,
    );
    if (!written.ok) {
      ctx.warn(`mapek: ${written.error.message}`);
      ctx.exit(EXIT.invalidInput);
      return;
    }
    ctx.print(`wrote shard ${shardText(flags.shard)}: ${path}  [${formatWallSeconds(parts.wall.totalMs)}]`);
    return;
  }
  const report = await runBench(plan, command, onProgress).finally(() => bar?.stop());
  ctx.print(...targetLines(report.targets));
  const written = writeBenchFiles(flags.out, report);
  if (!written.ok) {
    ctx.warn(`mapek: ${written.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  ctx.print(
    `wrote ${written.value.json} and ${written.value.markdown}  [${formatWallSeconds(report.wall.totalMs)}]`,
  );
  if (flags.html !== undefined) await writeBenchHtml(ctx, flags.html, report);
  if (flags.check === true && report.targets.some((t) => t.status === 'MISS')) ctx.exit(EXIT.sloViolated);
};
