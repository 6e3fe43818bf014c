import { AtomicFile } from '../base/atomic-write.ts';
import { plural } from '../base/format.ts';
import { readRegularTextFile } from '../base/read-regular-file.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { defaultCounterexampleOut } from './explore-flags.ts';
import { reportCounterexample, reportPass } from './explore-outcome.ts';
import { isExploreShardText, MAX_SHARD_BYTES, mergeExploreShardFiles } from './explore-shards.ts';
import { preflightOutputs } from './preflight.ts';

/** Whether `mapek merge` was given the shard files of a search (told by the first file's `format`). */
export const areExploreShards = (files: readonly string[]): boolean => {
  const [first] = files;
  if (first === undefined) return false;
  const text = readRegularTextFile(first, MAX_SHARD_BYTES);
  return text.ok && isExploreShardText(text.value);
};

/**
 * `mapek merge` of the shards of `explore --shard i/n`: writes (to `counterexample`, by default where the
 * unsharded explore writes it) the counterexample the unsharded search finds, checks it replays, and prints
 * what that search prints; or reports its pass. The same exit codes as `explore`.
 */
export const mergeExplore = (ctx: CliContext, files: readonly string[], counterexample?: string): void => {
  const merged = mergeExploreShardFiles(files);
  if (!merged.ok) {
    ctx.warn(`mapek: ${merged.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  const { search, result, shards, wallMs } = merged.value;
  ctx.print(
    `explore  ${search.scenarioName}  policy ${search.policy}  fast-check seed ${search.seed}  (merged ${plural(shards, 'shard')})`,
  );
  if (result.kind === 'passed') {
    reportPass(ctx, search, result.runs, wallMs);
    return;
  }
  const outPath = counterexample ?? defaultCounterexampleOut(search.scenarioFile);
  const targets = preflightOutputs(
    ctx,
    [{ flag: '--counterexample', path: outPath }],
    files.map((f) => ({ what: 'a shard', path: f })),
  );
  if (targets === null) return;
  const out = AtomicFile.open(targets.get('--counterexample') ?? outPath);
  if (!out.ok) {
    ctx.warn(`mapek: ${out.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  reportCounterexample(ctx, search, result.counterexample, out.value, outPath, wallMs, result.traceHash);
};
