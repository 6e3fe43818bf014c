import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-context.ts';
import {
  type BarStream,
  exploreProgress,
  LOG_INTERVAL_MS,
  RUN_BAR_AFTER_MS,
  runProgress,
  sweepProgress,
} from '../../src/cli/progress.ts';

/** A terminal `columns` wide that keeps what is drawn on it. */
const terminal = (columns: number) => {
  const writes: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        writes.push(String(chunk));
        done();
      },
    }),
    { isTTY: true, columns },
  ) as BarStream;
  return { stream, writes };
};

/** What was drawn, one entry per redraw (each starts by moving the cursor to column 1), as plain text. */
const frames = (writes: readonly string[]): string[] =>
  writes
    .join('')
    .split('\x1b[1G')
    .flatMap((f) => stripVTControlCharacters(f).split(/[\r\n]/))
    .filter((l) => l.trim() !== '');

/** The io of a command with stderr on a terminal or in a log, and a wall clock the test moves. */
const io = (tty: boolean) => {
  const err: string[] = [];
  let now = 0;
  const value: CliIo = { out: () => {}, err: (t) => err.push(t), stderrIsTTY: tty, env: {}, now: () => now };
  return { io: value, err, advance: (ms: number) => (now += ms) };
};

describe('a sweep on a terminal', () => {
  it('shows the count and the ETA in 80 columns, cutting a long scenario name', () => {
    const { stream, writes } = terminal(80);
    const name = 'a-scenario-name-long-enough-to-push-the-figures-off-an-eighty-column-terminal';

    const p = sweepProgress(io(true).io, name, 200, 'seeds', stream);
    p.tick();
    const drawn = frames(writes);
    p.stop();

    const bar = drawn.find((l) => l.includes('/200 seeds'));
    expect(bar).toMatch(/^a-scenario-name.*… \[.*\] \d+\/200 seeds \| .+ left$/);
    for (const line of drawn) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('an explore search on a terminal', () => {
  it('keeps the shrink count in 80 columns', () => {
    const { stream, writes } = terminal(80);

    const p = exploreProgress(io(true).io, `async-orders-${'x'.repeat(80)}`, 10_000, stream);
    p.run('search', 7);
    p.run('shrink', 12_345);
    p.stop(); // draws the last state before it clears the line

    const drawn = frames(writes);
    expect(drawn.at(-1)).toMatch(/^async-orders-x+… \[.*\] 7\/10000 runs \| shrinking: 12345 runs$/);
    for (const line of drawn) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('a sweep in a log (no terminal)', () => {
  it('prints a progress line before 10 s of silence', () => {
    const { io: log, err, advance } = io(false);
    const p = sweepProgress(log, 'slow', 20);
    const printedAt: number[] = [];

    for (let i = 0; i < 20; i++) {
      advance(3_000);
      const before = err.length;
      p.tick();
      if (err.length > before) printedAt.push((i + 1) * 3_000);
    }
    p.stop();

    // From the start through each line to the last seed (60 s), when the verdict follows.
    const marks = [0, ...printedAt, 60_000];
    const gaps = marks.slice(1).map((t, i) => t - (marks[i] ?? 0));
    expect(printedAt.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(LOG_INTERVAL_MS);
    expect(err[0]).toBe('slow: 3/20 seeds, 9s elapsed, about 51s left\n');
  });

  it('prints nothing for a sweep done in seconds', () => {
    const { io: log, err, advance } = io(false);
    const p = sweepProgress(log, 'quick', 5);

    for (let i = 0; i < 5; i++) {
      advance(500);
      p.tick();
    }
    p.stop();

    expect(err).toEqual([]);
  });
});

describe('one run on a terminal', () => {
  it('keeps simulated time and the ETA in 80 columns, cutting a long scenario name', () => {
    const { io: term, err, advance } = io(true);
    const name = 'a-scenario-name-long-enough-to-push-the-figures-off-an-eighty-column-terminal';
    const day = 86_400_000;

    const p = runProgress(term, name, 80);
    advance(RUN_BAR_AFTER_MS);
    p.advance(day / 4 + 1_234_900, day); // 6h20m34.9s: shown in whole seconds
    p.stop(); // draws the last state before it clears the line

    const drawn = frames(err);
    expect(drawn.at(-1)).toMatch(/^a-scenario-name.*… \[.*\] 6h20m34s \/ 1d sim \| 1s left$/);
    for (const line of drawn) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('draws nothing for a run done in less than half a second', () => {
    const { io: term, err, advance } = io(true);

    const p = runProgress(term, 'quick', 80);
    advance(RUN_BAR_AFTER_MS - 1);
    p.advance(50_000, 100_000);
    p.advance(100_000, 100_000);
    p.stop();

    expect(err).toEqual([]);
  });
});
