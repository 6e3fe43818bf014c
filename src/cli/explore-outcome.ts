import type { AtomicFile } from '../base/atomic-write.ts';
import { PACKAGE_VERSION } from '../base/package-version.ts';
import { renderCounterexample } from '../testing/counterexample-file.ts';
import { replayCheck } from '../testing/counterexample-replay.ts';
import type { Counterexample } from '../testing/explore.ts';
import type { FaultBudget } from '../testing/fault-budget.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';
import { mapekCommand } from './explore-flags.ts';
import { formatCounterexample, formatPass } from './explore-report.ts';

/** The search a result came from, as its replay commands name it. */
export interface SearchOrigin {
  readonly scenarioFile: string;
  /** fast-check's seed. */
  readonly seed: number;
  readonly budget: FaultBudget;
  /** The flags that shape the search (`searchFlags`), repeated in the replay command. */
  readonly flags: readonly string[];
}

const replaySearch = (origin: SearchOrigin, extra: readonly string[]): string =>
  mapekCommand(['explore', origin.scenarioFile, '--seed', String(origin.seed), ...extra, ...origin.flags]);

/** Prints a search that found nothing, with the command that replays it. */
export const reportPass = (
  ctx: CliContext,
  origin: SearchOrigin,
  runs: number,
  wallMs: number,
  path?: string,
): void => {
  const replay = replaySearch(origin, path === undefined ? ['--runs', String(runs)] : ['--path', path]);
  ctx.print(...formatPass(runs, wallMs, replay, path));
};

/**
 * Writes a search's counterexample to `out` (at `outPath`, as the report names it), prints it, and checks that
 * the file replays to the same violation (with the trace hash the search saw, when it has one), as `explore`
 * and `merge` both finish: exit 1, or 3 when the simulation threw or the file does not replay.
 */
export const reportCounterexample = (
  ctx: CliContext,
  origin: SearchOrigin,
  c: Counterexample,
  out: AtomicFile,
  outPath: string,
  wallMs: number,
  traceHash: string | null = c.run?.outcome.traceHash ?? null,
): void => {
  const full = {
    scenarioFile: origin.scenarioFile,
    seed: origin.seed,
    budget: origin.budget,
    replaySearch: replaySearch(origin, ['--path', c.path]),
    replayRun: mapekCommand(['run', outPath]),
    mapekVersion: PACKAGE_VERSION,
  };
  const committed = out.finish(renderCounterexample(c, full));
  if (!committed.ok) {
    ctx.warn(`mapek: ${committed.error.message}`);
    ctx.exit(EXIT.invalidInput);
    return;
  }
  ctx.print(...formatCounterexample(c, wallMs, outPath, full));
  if (c.reason.kind === 'threw') {
    ctx.internalError(
      `while running a generated schedule (written to ${outPath})`,
      new Error(c.reason.message),
    );
    return;
  }
  const mismatch = replayCheck(c, outPath, traceHash);
  if (mismatch !== null) {
    ctx.internalError('', new Error(`the counterexample written to ${outPath} does not replay: ${mismatch}`));
    return;
  }
  ctx.exit(EXIT.sloViolated);
};
