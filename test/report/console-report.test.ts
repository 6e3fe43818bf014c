import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent } from '../../src/base/format.ts';
import {
  consoleStyle,
  formatFailedSlos,
  formatLoadError,
  formatRun,
  formatSloTarget,
  formatSweep,
  LINE_WIDTH,
  PLAIN,
  wrapLine,
} from '../../src/report/console-report.ts';
import type { Journal } from '../../src/report/journal.ts';
import { summarizeSweep } from '../../src/report/sweep-summary.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { journalOf } from './support.ts';

describe('console formatting', () => {
  it('writes times and percentages as people read them', () => {
    expect([formatMs(41_000), formatMs(150_000), formatMs(250), formatMs(null)]).toEqual([
      '41s',
      '2m30s',
      '250ms',
      '-',
    ]);
    expect([formatPercent(0.99912), formatPercent(0.5), formatPercent(1)]).toEqual([
      '99.912%',
      '50%',
      '100%',
    ]);
  });

  it('writes SLO targets with their comparison and unit', () => {
    expect(formatSloTarget({ comparison: '<=', unit: 'ms', target: 30_000 })).toBe('<= 30s');
    expect(formatSloTarget({ comparison: '>=', unit: 'ratio', target: 0.999 })).toBe('>= 99.9%');
  });

  it('gives a run a verdict line with scenario, seed and policy, then MTTD, MTTR and availability', () => {
    const [head, figures, ...rest] = formatRun(journalOf('crash-noop.yaml'));

    expect(head).toMatch(
      /^FAIL {2}crash-noop {2}seed 7 {2}policy noop {2}faults 1 \(1 impactful\) {2}\[0\.01s\]$/,
    );
    expect(figures).toMatch(/^ {6}MTTD - {2}MTTR .* {2}availability 90\.\d+%$/);
    expect(rest).toEqual(formatFailedSlos(journalOf('crash-noop.yaml').slos));
  });

  it('cuts a long scenario name, not the figures, so every line fits 100 columns', () => {
    const j = journalOf('crash-noop.yaml');
    const long: Journal = { ...j, scenario: { ...j.scenario, name: `orders-${'x'.repeat(120)}` } };

    const lines = formatRun(long);

    for (const line of lines) expect(line.length).toBeLessThanOrEqual(LINE_WIDTH);
    expect(lines[0]).toMatch(
      /^FAIL {2}orders-x+… {2}seed 7 {2}policy noop {2}faults 1 \(1 impactful\) {2}\[0\.01s\]$/,
    );
    expect(lines[1]).toMatch(/availability 90\.\d+%$/);
  });

  it('wraps a long detail line under its text', () => {
    const line = `      ✗ detection: target <= 10s; never detected: ${Array.from({ length: 30 }, (_, i) => `f${i + 1}`).join(', ')}`;

    const lines = wrapLine(line, 100, '        ');

    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
    expect(lines.slice(1).every((l) => l.startsWith('        f'))).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(line.trim());
  });

  it('colours PASS and FAIL on a terminal only, and never with NO_COLOR', () => {
    const tty = consoleStyle({ stdoutIsTTY: true, env: {} });
    const piped = consoleStyle({ stdoutIsTTY: false, env: {} });
    const noColor = consoleStyle({ stdoutIsTTY: true, env: { NO_COLOR: '1' } });

    expect(
      formatRun(journalOf('crash-noop.yaml'), tty)[0]?.startsWith('\x1b[31mFAIL\x1b[39m  crash-noop'),
    ).toBe(true);
    expect(
      formatRun(journalOf('healthy-noop.yaml'), tty)[0]?.startsWith('\x1b[32mPASS\x1b[39m  healthy-noop'),
    ).toBe(true);
    expect([piped, noColor]).toEqual([PLAIN, PLAIN]);
    expect(formatRun(journalOf('crash-noop.yaml'), noColor)[0]).toMatch(/^FAIL {2}/);
  });

  it('gives each failed SLO a detail line naming it, and none to a met one', () => {
    const lines = formatFailedSlos(journalOf('crash-noop.yaml').slos);

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/✗ detection: target <= 10s; never detected: f1/);
    expect(lines[1]).toMatch(/✗ availability: target >= 99\.99%, actual 90\.\d+%/);
  });

  it('gives a sweep its percentiles of MTTD and MTTR and its lowest availability', () => {
    const lines = formatSweep(summarizeSweep([1, 2, 3].map((s) => journalOf('random-noop.yaml', s))), 10);

    expect(lines[0]).toMatch(
      /^FAIL {2}random-noop {2}seeds 1\.\.3 \(1 failed: 3\) {2}policy noop {2}\[0\.01s\]$/,
    );
    expect(lines[2]).toMatch(/MTTR p50 \S+ {2}p95 \S+ {2}p99 \S+ {2}max \S+ {2}\(\d+ faults\)/);
    expect(lines[3]).toMatch(/^ {6}availability min \d+\.\d+%$/);
    expect(lines[4]).toMatch(/✗ availability \(>= 99.3%\): missed on 1 of 3 seeds \(3\)/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(LINE_WIDTH);
  });

  it('prints a refused file as file:line:col: field: message lines', () => {
    const r = loadScenarioText('name: x\nduraton: 5m\n', 'bad.yaml');
    if (r.ok) throw new Error('expected an error');

    const lines = formatLoadError(r.error);

    expect(lines[0]).toBe('bad.yaml: the scenario is invalid (3 problems)');
    expect(lines).toContain('  bad.yaml:2:1: duraton: unknown key "duraton"; did you mean "duration"?');
  });
});
