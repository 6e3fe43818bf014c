import cliProgress from 'cli-progress';
import { formatDuration } from '../base/duration.ts';
import type { CliIo } from './cli-context.ts';

/** A progress indicator for a seed sweep. */
export interface Progress {
  tick(): void;
  stop(): void;
}

const SILENT: Progress = { tick: () => {}, stop: () => {} };

/** Where a bar is drawn: stderr, or a stand-in in tests. */
export interface BarStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** A CI log is never silent longer than this during a sweep. */
export const LOG_INTERVAL_MS = 10_000;

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;

/**
 * The bar's format for a terminal `columns` wide: the count and the ETA always show in full; the bar shrinks
 * (down to 10 cells) and then the label is cut, since cli-progress cuts whatever passes the terminal's edge.
 */
export const barLayout = (
  label: string,
  total: number,
  unit: string,
  columns: number,
): { format: string; barsize: number } => {
  const count = `${total}/${total}`.length;
  // ` [` + `] ` + count + ` unit | ` + an ETA up to `99m59s` + ` left`, with one column spare for the cursor.
  const tail = 2 + 2 + count + 1 + unit.length + 3 + 6 + 5 + 1;
  const barsize = Math.max(10, Math.min(40, columns - tail - label.length));
  const shown = cut(label, Math.max(8, columns - tail - barsize));
  return { format: `${shown} [{bar}] {value}/{total} ${unit} | {eta_formatted} left`, barsize };
};

const wall = (ms: number): string => formatDuration(Math.max(0, Math.round(ms / 1000) * 1000));

/**
 * Progress lines for a log (no terminal): one when the next would otherwise come more than
 * `LOG_INTERVAL_MS` after the last output, judged from the mean time per item so far, so a slow sweep
 * reports at least every 10 s and a sweep done in seconds prints nothing.
 */
const logProgress = (io: CliIo, label: string, total: number, unit: string): Progress => {
  const started = io.now();
  let last = started;
  let done = 0;
  return {
    tick: () => {
      done++;
      const now = io.now();
      const perItem = (now - started) / done;
      if (done >= total || now - last + perItem < LOG_INTERVAL_MS) return;
      last = now;
      io.err(
        `${label}: ${done}/${total} ${unit}, ${wall(now - started)} elapsed, about ${wall(perItem * (total - done))} left\n`,
      );
    },
    stop: () => {},
  };
};

/**
 * Progress of a sweep of `total` runs (counted in `unit`) on stderr: a bar on a terminal, cleared when done
 * so the verdict lines that follow stand alone; in a log, a line at least every 10 s.
 */
export const sweepProgress = (
  io: CliIo,
  label: string,
  total: number,
  unit = 'seeds',
  stream: BarStream = process.stderr,
): Progress => {
  if (total <= 1) return SILENT;
  if (!io.stderrIsTTY) return logProgress(io, label, total, unit);
  const bar = new cliProgress.SingleBar(
    {
      stream,
      ...barLayout(label, total, unit, stream.columns ?? 80),
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
 * counterexample is found the bar stays where it is and counts the shrinking runs instead. Fitted to the
 * terminal's width as the sweep's bar is.
 */
export const exploreProgress = (
  io: CliIo,
  label: string,
  total: number,
  stream: BarStream = process.stderr,
): ExploreProgress => {
  if (!io.stderrIsTTY || total <= 1) return SILENT_EXPLORE;
  const columns = stream.columns ?? 80;
  // ` [` + `] ` + the count + ` runs | ` + the longest status (`shrinking: 99999 runs`) + the cursor's column.
  const tail = 2 + 2 + `${total}/${total}`.length + 8 + 21 + 1;
  const barsize = Math.max(10, Math.min(40, columns - tail - label.length));
  const shown = cut(label, Math.max(8, columns - tail - barsize));
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${shown} [{bar}] {value}/{total} runs | {status}`,
      barsize,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { status: 'searching' });
  return {
    run: (phase, count) => {
      if (phase === 'search') bar.update(count, { status: 'searching' });
      else bar.update({ status: `shrinking: ${count} runs` });
    },
    stop: () => bar.stop(),
  };
};
