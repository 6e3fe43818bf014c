import type { SloResult } from '../../scenario/slo-evaluation.ts';
import { formatMs } from './format-time.ts';
import { esc, table } from './html-page.ts';

const value = (unit: SloResult['unit'], v: number | null): string => {
  if (v === null) return '–';
  if (unit === 'ms') return formatMs(v);
  if (unit === 'ratio') return `${(v * 100).toPrecision(6).replace(/\.?0+$/, '')} %`;
  return String(v);
};

/** The SLO verdicts of a run: target, actual, pass or fail, and the faults that missed. */
export const sloTable = (slos: readonly SloResult[]): string =>
  slos.length === 0
    ? '<p class="note">The scenario sets no SLO.</p>'
    : table(
        ['SLO', 'target', 'actual', 'verdict', 'missed by', 'note'],
        slos.map((s) => [
          esc(s.name),
          esc(`${s.comparison} ${value(s.unit, s.target)}`),
          esc(value(s.unit, s.actual)),
          s.pass ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>',
          esc((s.missed ?? []).join(', ') || '–'),
          esc(s.note ?? ''),
        ]),
        new Set([1, 2]),
        ' class="slos"',
      );
