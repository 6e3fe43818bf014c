import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.ts';
import type { CliIo } from '../../src/cli/cli-context.ts';

const HEALTHY = 'test/fixtures/healthy-noop.yaml';

/**
 * `mapek <args>` in this process with stderr on a terminal (or not) and a wall clock that moves `tickMs`
 * each time it is read: what went to stdout and stderr, in the order it went.
 */
const mapek = async (args: readonly string[], tty: boolean, tickMs: number) => {
  const written: { to: 'out' | 'err'; text: string }[] = [];
  let now = 0;
  const io: CliIo = {
    out: (text) => written.push({ to: 'out', text }),
    err: (text) => written.push({ to: 'err', text }),
    stderrIsTTY: tty,
    env: {},
    now: () => {
      now += tickMs;
      return now;
    },
  };
  const code = await runCli(['node', 'mapek', ...args], io);
  const err = written.filter((w) => w.to === 'err').map((w) => w.text);
  return { code, written, err, out: written.filter((w) => w.to === 'out').map((w) => w.text) };
};

describe('a single run shows its progress in simulated time', () => {
  it('draws a bar on a terminal and clears it before the verdict prints', async () => {
    // Arrange: 100 ms of wall clock a reading, so the run lasts seconds.
    const args = ['run', HEALTHY];

    // Act
    const r = await mapek(args, true, 100);

    // Assert
    expect(r.code).toBe(0);
    const frames = stripVTControlCharacters(r.err.join(''))
      .split(/[\r\n]/)
      .filter((l) => l.trim() !== '');
    expect(frames.some((l) => /^healthy-noop \[.*\] \S+ \/ \S+ sim \| \S+ left$/.test(l))).toBe(true);
    const lastErr = r.written.findLastIndex((w) => w.to === 'err');
    const verdict = r.written.findIndex((w) => w.to === 'out' && w.text.startsWith('PASS  healthy-noop'));
    expect(verdict).toBeGreaterThan(lastErr);
    // The bar's line is cleared (erase-line) after its last frame.
    const drawn = r.err.join('');
    expect(drawn.slice(drawn.lastIndexOf(' left'))).toContain('\u001b[2K');
  });

  it('prints a progress line in a log when the run is slow', async () => {
    // Arrange: a second of wall clock a reading, so the run lasts minutes.
    const args = ['run', HEALTHY];

    // Act
    const r = await mapek(args, false, 1_000);

    // Assert
    expect(r.code).toBe(0);
    expect(r.err[0]).toMatch(/^healthy-noop: \S+ \/ \S+ sim, \S+ elapsed, about \S+ left\n$/);
    expect(r.out.join('')).toMatch(/^PASS {2}healthy-noop/);
  });

  it('prints nothing on stderr for a fast run in a log', async () => {
    // Arrange: a stopped clock, as in CI when a run takes no time to speak of.
    const args = ['run', HEALTHY];

    // Act
    const r = await mapek(args, false, 0);

    // Assert
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out.join('')).toMatch(/^PASS {2}healthy-noop/);
  });

  it('shows no run bar in a sweep of several seeds', async () => {
    // Arrange
    const args = ['run', HEALTHY, '--seeds', '1..2'];

    // Act
    const r = await mapek(args, false, 100);

    // Assert
    expect(r.err.join('')).not.toMatch(/ sim/);
  });
});
