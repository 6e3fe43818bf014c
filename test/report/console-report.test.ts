import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent } from '../../src/base/format.ts';
import {
  formatFailedSlos,
  formatLoadError,
  formatRunLine,
  formatSloTarget,
  formatSweep,
} from '../../src/report/console-report.ts';
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

  it('gives a run one line with verdict, scenario, seed, MTTD, MTTR and availability', () => {
    const line = formatRunLine(journalOf('crash-noop.yaml'));

    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^FAIL {2}crash-noop {2}seed 7 {2}policy noop/);
    expect(line).toMatch(/MTTD -/);
    expect(line).toMatch(/availability 90\.\d+%/);
  });

  it('gives each failed SLO a detail line naming it, and none to a met one', () => {
    const lines = formatFailedSlos(journalOf('crash-noop.yaml').slos);

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/✗ detection: target <= 10s; never detected: f1/);
    expect(lines[1]).toMatch(/✗ availability: target >= 99\.99%, actual 90\.\d+%/);
  });

  it('gives a sweep its percentiles of MTTD and MTTR', () => {
    const lines = formatSweep(summarizeSweep([1, 2, 3].map((s) => journalOf('random-noop.yaml', s))), 10);

    expect(lines[0]).toMatch(/^FAIL {2}random-noop {2}seeds 1\.\.3 \(1 failed: 3\)/);
    expect(lines[2]).toMatch(/MTTR p50 \S+ {2}p95 \S+ {2}p99 \S+ {2}max \S+ {2}\(\d+ faults\)/);
    expect(lines[3]).toMatch(/✗ availability \(>= 99.3%\): missed on 1 of 3 seeds \(3\)/);
  });

  it('prints a refused file as file:line:col: field: message lines', () => {
    const r = loadScenarioText('name: x\nduraton: 5m\n', 'bad.yaml');
    if (r.ok) throw new Error('expected an error');

    const lines = formatLoadError(r.error);

    expect(lines[0]).toBe('bad.yaml: the scenario is invalid (3 problems)');
    expect(lines).toContain('  bad.yaml:2:1: duraton: unknown key "duraton"; did you mean "duration"?');
  });
});
