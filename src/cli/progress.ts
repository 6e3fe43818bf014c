import cliProgress from 'cli-progress';
import type { CliIo } from './cli-context.ts';

/** A progress indicator for a seed sweep. */
export interface Progress {
  tick(): void;
  stop(): void;
}

const SILENT: Progress = { tick: () => {}, stop: () => {} };

/**
 * A progress bar on stderr for a sweep of `total` runs, only when stderr is a terminal: in CI logs and
 * pipes a bar is noise. Cleared when done, so the verdict lines that follow stand alone.
 */
export const sweepProgress = (io: CliIo, label: string, total: number): Progress => {
  if (!io.stderrIsTTY || total <= 1) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} seeds | {eta_formatted} left`,
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
