import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type * as CliProgress from 'cli-progress';
import { formatDuration } from '../base/duration.ts';
import type { CliIo } from './cli-context.ts';

const requireCjs = createRequire(import.meta.url);
let loaded: typeof CliProgress | null = null;

/**
 * cli-progress, loaded when the first bar is drawn: a command that draws none (stderr a log, a single run
 * done within {@link RUN_BAR_AFTER_MS}) never loads it. Required synchronously, since a bar starts inside
 * callbacks that cannot wait (a run's progress, a benchmark's next phase).
 */
const cliProgress = (): typeof CliProgress => {
  loaded ??= requireCjs('cli-progress') as typeof CliProgress;
  return loaded;
};

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

const wall = (ms: number): string => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds === 0 ? '0s' : formatDuration(seconds * 1000);
};

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
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    {
      stream,
      ...barLayout(label, total, unit, stream.columns || 80),
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
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
  // A terminal that reports no width (0, under `script`) is taken as 80 columns.
  const columns = stream.columns || 80;
  // ` [` + `] ` + the count + ` runs | ` + the longest status (`shrinking: 99999 runs`) + the cursor's column.
  const tail = 2 + 2 + `${total}/${total}`.length + 8 + 21 + 1;
  const barsize = Math.max(10, Math.min(40, columns - tail - label.length));
  const shown = cut(label, Math.max(8, columns - tail - barsize));
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    {
      stream,
      format: `${shown} [{bar}] {value}/{total} runs | {status}`,
      barsize,
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
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

/** A progress indicator for one run, in simulated time. */
export interface RunProgressBar {
  /** The run has got to `simMs` of `endMs` simulated milliseconds. */
  advance(simMs: number, endMs: number): void;
  /** Clears the bar, if one is drawn; call it before the verdict prints. */
  stop(): void;
}

/** A run done in less wall-clock time than this shows no bar: it would only flash. */
export const RUN_BAR_AFTER_MS = 500;

/** Simulated time in whole seconds (whole milliseconds under a second), so the figures do not flicker. */
const sim = (ms: number): string =>
  formatDuration(ms < 1_000 ? Math.round(ms) : Math.floor(ms / 1000) * 1000);

/** What is left, from the wall time so far and how far the run has got. */
const left = (elapsedMs: number, simMs: number, endMs: number): string =>
  simMs <= 0 ? '?' : wall((elapsedMs * (endMs - simMs)) / simMs);

/** A stream that writes through `io.err` and says it is a terminal `columns` wide (stderr's, in the CLI). */
const terminalOf = (io: CliIo, columns: number): BarStream =>
  Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        io.err(String(chunk));
        done();
      },
    }),
    { isTTY: true, columns },
  );

/** The bar for a run of `endMs`: fitted to `columns` as the sweep's bar is, the figures always in full. */
const runBar = (io: CliIo, label: string, endMs: number, columns: number): CliProgress.SingleBar => {
  const figure = Math.max(sim(endMs).length, '23h59m59s'.length);
  // ` [` + `] ` + `sim / end` + ` sim | ` + an ETA up to `99m59s` + ` left`, with one column spare for the cursor.
  const tail = 2 + 2 + figure + 3 + sim(endMs).length + 7 + 6 + 5 + 1;
  const barsize = Math.max(10, Math.min(40, columns - tail - label.length));
  const shown = cut(label, Math.max(8, columns - tail - barsize));
  const { SingleBar, Presets } = cliProgress();
  return new SingleBar(
    {
      stream: terminalOf(io, columns),
      format: `${shown} [{bar}] {sim} / {end} sim | {left} left`,
      barsize,
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
};

/**
 * Progress of one run in simulated time, on stderr: on a terminal a bar such as
 * `single-node-crash [████░░░░] 4m12s / 12m sim | 3s left`, drawn once the run has taken half a second and
 * cleared by `stop`; in a log, as for a sweep, a line whenever the log would otherwise stay silent for more
 * than 10 s, so a run done in seconds prints nothing. `columns` is the terminal's width.
 */
export const runProgress = (
  io: CliIo,
  label: string,
  columns: number = process.stderr.columns || 80,
): RunProgressBar => {
  const started = io.now();
  let last = started;
  let steps = 0;
  let bar: CliProgress.SingleBar | null = null;
  const onTerminal = (simMs: number, endMs: number, now: number): void => {
    const payload = { sim: sim(simMs), end: sim(endMs), left: left(now - started, simMs, endMs) };
    if (bar !== null) {
      bar.update(simMs, payload);
      return;
    }
    if (now - started < RUN_BAR_AFTER_MS || simMs >= endMs) return;
    bar = runBar(io, label, endMs, columns);
    bar.start(endMs, simMs, payload);
  };
  const inLog = (simMs: number, endMs: number, now: number): void => {
    const perStep = (now - started) / steps;
    if (simMs >= endMs || now - last + perStep < LOG_INTERVAL_MS) return;
    last = now;
    io.err(
      `${label}: ${sim(simMs)} / ${sim(endMs)} sim, ${wall(now - started)} elapsed, about ${left(now - started, simMs, endMs)} left\n`,
    );
  };
  return {
    advance: (simMs, endMs) => {
      steps++;
      const now = io.now();
      if (io.stderrIsTTY) onTerminal(simMs, endMs, now);
      else inLog(simMs, endMs, now);
    },
    stop: () => {
      bar?.stop();
      bar = null;
    },
  };
};
