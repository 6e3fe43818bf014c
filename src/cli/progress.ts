import cliProgress from 'cli-progress';
import type { CliIo } from './cli-context.ts';

/** A progress indicator for a seed sweep. */
export interface Progress {
  tick(): void;
  stop(): void;
}

const SILENT: Progress = { tick: () => {}, stop: () => {} };

/**
 * A progress bar on stderr for a sweep of `total` runs (counted in `unit`), only when stderr is a terminal:
 * in CI logs and pipes a bar is noise. Cleared when done, so the verdict lines that follow stand alone.
 */
export const sweepProgress = (io: CliIo, label: string, total: number, unit = 'seeds'): Progress => {
  if (!io.stderrIsTTY || total <= 1) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} ${unit} | {eta_formatted} left`,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
};

/** A progress indicator for an `explore` search: runs of the search, then shrink steps. */
export interface ExploreProgress {
  /** One more run of the search or of the shrinking. */
  run(phase: 'search' | 'shrink', count: number): void;
  stop(): void;
}

const SILENT_EXPLORE: ExploreProgress = { run: () => {}, stop: () => {} };

/**
 * A progress bar on stderr for a search of up to `total` runs, only when stderr is a terminal. Once a
 * counterexample is found the bar stays where it is and counts the shrinking runs instead.
 */
export const exploreProgress = (io: CliIo, label: string, total: number): ExploreProgress => {
  if (!io.stderrIsTTY || total <= 1) return SILENT_EXPLORE;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} runs | {status}`,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { status: 'searching' });
  return {
    run: (phase, count) => {
      if (phase === 'search') bar.update(count, { status: 'searching' });
      else bar.update({ status: `shrinking a counterexample: ${count} runs` });
    },
    stop: () => bar.stop(),
  };
};
