import { distributionOf } from '../measures/distribution.ts';
import { formatIssue, type LoadError } from '../scenario/load-error.ts';
import type { SloResult } from '../scenario/slo-evaluation.ts';
import { formatMs, formatNumber, formatPercent, formatWallSeconds } from './format.ts';
import type { Journal } from './journal.ts';
import type { SloSweep, SweepSummary } from './sweep-summary.ts';

type SloShape = Pick<SloResult, 'unit' | 'comparison' | 'target'>;

/** An SLO's value in its unit (`-` for none). */
export const formatValue = (unit: SloResult['unit'], v: number | null): string => {
  if (v === null) return '-';
  if (unit === 'ms') return formatMs(v);
  if (unit === 'ratio') return formatPercent(v);
  return formatNumber(v);
};

/** `<= 30s`, `>= 99.9%`, `<= 0`. */
export const formatSloTarget = (s: SloShape): string => `${s.comparison} ${formatValue(s.unit, s.target)}`;

const VERDICT = { pass: 'PASS', fail: 'FAIL' } as const;

const distributionText = (label: string, values: readonly number[]): string => {
  const d = distributionOf(values);
  return d.count === 0 ? `${label} -` : `${label} p50 ${formatMs(d.p50)} max ${formatMs(d.max)}`;
};

/**
 * The one line a run gets: verdict, scenario, seed, policy, MTTD and MTTR over its impactful faults,
 * availability, and the wall time it took.
 */
export const formatRunLine = (j: Journal): string => {
  const impactful = j.faults.filter((f) => f.impact);
  const mttd = impactful.flatMap((f) => (f.mttdMs === null ? [] : [f.mttdMs]));
  const mttr = impactful.flatMap((f) => (f.mttrMs === null ? [] : [f.mttrMs]));
  return [
    `${VERDICT[j.verdict]}  ${j.scenario.name}`,
    `seed ${j.seed}`,
    `policy ${j.policy}`,
    `faults ${j.faults.length} (${impactful.length} impactful)`,
    distributionText('MTTD', mttd),
    distributionText('MTTR', mttr),
    `availability ${formatPercent(j.summary.availability)}`,
    `[${formatWallSeconds(j.wall.wallMs)}]`,
  ].join('  ');
};

/** The detail block of a run: one line per SLO it missed. */
export const formatFailedSlos = (slos: readonly SloResult[], indent = '      '): string[] =>
  slos
    .filter((s) => !s.pass)
    .map((s) => {
      const head = `${indent}✗ ${s.name}: target ${formatSloTarget(s)}`;
      // A fault that never got there has no number to show: the note names it instead.
      if (s.actual === null) return `${head}; ${s.note ?? 'never reached'}`;
      const missed =
        s.missed !== undefined && s.missed.length > 0 ? `; missed by ${s.missed.join(', ')}` : '';
      const note = s.note === undefined ? '' : ` (${s.note})`;
      return `${head}, actual ${formatValue(s.unit, s.actual)}${missed}${note}`;
    });

const seedList = (seeds: readonly number[]): string =>
  seeds.length <= 8 ? seeds.join(', ') : `${seeds.slice(0, 8).join(', ')}, ...`;

const seedRange = (seeds: readonly number[]): string => {
  const first = seeds[0];
  const last = seeds[seeds.length - 1];
  if (first === undefined || last === undefined) return 'no seeds';
  const contiguous = seeds.every((s, i) => s === first + i);
  return contiguous && seeds.length > 1 ? `seeds ${first}..${last}` : `seeds ${seedList(seeds)}`;
};

const percentiles = (label: string, d: SweepSummary['mttd'], none: string): string =>
  d.count === 0
    ? `${label} - (${none})`
    : `${label} p50 ${formatMs(d.p50)}  p95 ${formatMs(d.p95)}  p99 ${formatMs(d.p99)}  max ${formatMs(d.max)}  (${d.count} faults)`;

const sweepSloLine = (s: SloSweep, runs: number, indent: string): string => {
  const never = s.name === 'detection' ? 'a fault never detected' : 'a fault never recovered';
  const worst = s.neverReached ? never : `worst ${formatValue(s.unit, s.worst)}`;
  return `${indent}✗ ${s.name} (${formatSloTarget(s)}): missed on ${s.missedOn.length} of ${runs} seeds (${seedList(s.missedOn)}); ${worst}`;
};

/**
 * A scenario swept over seeds: the verdict line (a scenario fails if any seed fails), then MTTD and MTTR
 * as p50/p95/p99/max pooled over every impactful fault of every seed, then each SLO missed on some seed.
 */
export const formatSweep = (s: SweepSummary, wallMs: number, indent = '      '): string[] => {
  const failed = s.failedSeeds.length;
  const head = [
    `${VERDICT[s.verdict]}  ${s.scenario}`,
    `${seedRange(s.seeds)} (${failed === 0 ? 'all passed' : `${failed} failed: ${seedList(s.failedSeeds)}`})`,
    `policy ${s.policy}`,
    `availability min ${formatPercent(s.availabilityMin)}`,
    `[${formatWallSeconds(wallMs)}]`,
  ].join('  ');
  return [
    head,
    `${indent}${percentiles('MTTD', s.mttd, 'no impactful fault detected')}`,
    `${indent}${percentiles('MTTR', s.mttr, 'no impactful fault recovered')}`,
    ...s.slos.filter((x) => x.missedOn.length > 0).map((x) => sweepSloLine(x, s.seeds.length, indent)),
  ];
};

/** A refused scenario file: a headline, then one `file:line:col: field: message` line per problem. */
export const formatLoadError = (e: LoadError): string[] => {
  const lines = e.issues.map(formatIssue);
  return e.issues.length === 1 ? lines : [`${e.file}: ${e.message}`, ...lines.map((l) => `  ${l}`)];
};
