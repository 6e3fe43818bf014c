import { readFileSync } from 'node:fs';
import { formatWallSeconds } from '../base/format.ts';
import { writeBenchFiles } from '../bench/bench-files.ts';
import { type BenchShardFile, mergeBenchShards } from '../bench/bench-shards.ts';
import { targetLines } from '../bench/render-markdown.ts';
import { foldBench } from '../bench/run-bench.ts';
import { consoleStyle, formatSweep } from '../report/console-report.ts';
import { type Journal, serializeJournals } from '../report/journal.ts';
import { junitCaseOf, renderJUnit } from '../report/junit.ts';
import { summarizeSweep } from '../report/sweep-summary.ts';
import { DEFAULT_OUT } from './bench-flags.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { areExploreShards, mergeExplore } from './explore-merge.ts';
import { mergedJournals, mergeShards } from './merge-shards.ts';
import { openOutputFiles } from './open-outputs.ts';
import { preflightOutputs } from './preflight.ts';
import { resultsHeader } from './results-file.ts';

/** The options of `mapek merge`. */
export interface MergeFlags {
  readonly json?: string;
  readonly junit?: string;
  readonly results?: string;
  readonly bench?: string;
  /** Where the counterexample of merged explore shards goes. */
  readonly counterexample?: string;
}

/** Prints each scenario's sweep summary, as `run` does, and the total. */
const summarize = (ctx: CliContext, journals: readonly Journal[], shards: number): void => {
  const byScenario = new Map<string, Journal[]>();
  for (const j of journals) byScenario.set(j.scenario.file, [...(byScenario.get(j.scenario.file) ?? []), j]);
  const wallMs = journals.reduce((t, j) => t + j.wall.wallMs, 0);
  for (const group of byScenario.values()) {
    if (group.length > 1)
      ctx.printStyled(
        ...formatSweep(
          summarizeSweep(group),
          group.reduce((t, j) => t + j.wall.wallMs, 0),
          consoleStyle(ctx.io),
        ),
      );
  }
  const passed = journals.filter((j) => j.verdict === 'pass').length;
  ctx.print(
    `merged ${shards} shard${shards === 1 ? '' : 's'}: ${journals.length} run${journals.length === 1 ? '' : 's'}: ${passed} passed, ${journals.length - passed} failed  [runs took ${formatWallSeconds(wallMs)}]`,
  );
};

const mergeBench = (ctx: CliContext, paths: readonly string[], dir: string): void => {
  const files: { path: string; file: BenchShardFile }[] = [];
  for (const path of paths) {
    try {
      files.push({ path, file: JSON.parse(readFileSync(path, 'utf8')) as BenchShardFile });
    } catch (e) {
      ctx.warn(`mapek: cannot read ${path} as a bench shard: ${e instanceof Error ? e.message : String(e)}`);
      ctx.exit(EXIT.invalidInput);
      return;
    }
  }
  const merged = mergeBenchShards(files);
  if (!merged.ok) {
    ctx.warn(`mapek: ${merged.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  // The command one unsharded bench writing here would have recorded.
  const command = `${merged.value.command}${dir === DEFAULT_OUT ? '' : ` --out ${dir}`}`;
  const report = foldBench(merged.value.plan, command, merged.value.parts);
  ctx.print(...targetLines(report.targets));
  const written = writeBenchFiles(dir, report);
  if (!written.ok) {
    ctx.warn(`mapek: ${written.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  ctx.print(`merged ${files.length} bench shards: wrote ${written.value.json} and ${written.value.markdown}`);
};

const mergeRuns = (ctx: CliContext, files: readonly string[], flags: MergeFlags): void => {
  const merged = mergeShards(files);
  if (!merged.ok) {
    ctx.warn(`mapek: ${merged.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const targets = preflightOutputs(
    ctx,
    [
      { flag: '--json', path: flags.json },
      { flag: '--junit', path: flags.junit },
      { flag: '--results', path: flags.results },
    ],
    files.map((f) => ({ what: 'a shard', path: f })),
  );
  if (targets === null) return;
  const out = openOutputFiles(ctx, {
    json: targets.get('--json'),
    junit: targets.get('--junit'),
    results: targets.get('--results'),
  });
  if (out === null) {
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const journals = mergedJournals(merged.value);
  const [only] = journals;
  const texts: [typeof out.json, string][] = [
    [out.json, serializeJournals(merged.value.single && only !== undefined ? only : journals)],
    [out.junit, renderJUnit(journals.map(junitCaseOf))],
    [
      out.results,
      `${[resultsHeader(merged.value.identity), ...merged.value.runs.map((r) => JSON.stringify(r))].join('\n')}\n`,
    ],
  ];
  for (const [file, text] of texts) {
    if (file === null) continue;
    const done = file.finish(text);
    if (!done.ok) {
      ctx.warn(`mapek: ${done.error.message}`);
      ctx.exit(EXIT.invalidInput);
    }
  }
  summarize(ctx, journals, files.length);
  if (journals.some((j) => j.verdict === 'fail')) ctx.exit(EXIT.sloViolated);
};

/**
 * `mapek merge`'s action: the shards of a `bench` (with `--bench`), of an `explore` (told by their format) or
 * of a `run`, merged and written.
 */
export const mergeAction = (ctx: CliContext, files: readonly string[], flags: MergeFlags): void => {
  if (flags.bench !== undefined) {
    mergeBench(ctx, files, flags.bench);
    return;
  }
  if (flags.counterexample !== undefined || areExploreShards(files)) {
    mergeExplore(ctx, files, flags.counterexample);
    return;
  }
  mergeRuns(ctx, files, flags);
};
