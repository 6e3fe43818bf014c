import { escapeControlCharacters, type TerminalLine, terminalLine } from '../base/control-characters.ts';
import { formatMs, formatNumber, formatPercent, formatWallSeconds } from '../base/format.ts';
import { distributionOf } from '../measures/distribution.ts';
import { formatIssue, type LoadError } from '../scenario/load-error.ts';
import type { SloResult } from '../scenario/slo-evaluation.ts';
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

/** Widest line `mapek run` prints: a terminal or CI log of 100 columns shows every line unwrapped. */
export const LINE_WIDTH = 100;

/** How console output looks: ANSI colour for verdicts or none, and the width lines are fitted to. */
export interface ConsoleStyle {
  readonly colour: boolean;
  readonly width: number;
}

/** No colour, 100 columns: for logs, pipes and tests. */
export const PLAIN: ConsoleStyle = { colour: false, width: LINE_WIDTH };

/**
 * Colour on a terminal only, and never with `NO_COLOR` set (no-color.org) or `TERM=dumb`; `FORCE_COLOR`
 * (other than `0`) asks for it even in a pipe, as most CLI tools read it.
 */
export const consoleStyle = (io: {
  readonly stdoutIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}): ConsoleStyle => {
  const { NO_COLOR, FORCE_COLOR, TERM } = io.env;
  const colour =
    NO_COLOR !== undefined && NO_COLOR !== ''
      ? false
      : FORCE_COLOR !== undefined && FORCE_COLOR !== ''
        ? FORCE_COLOR !== '0'
        : io.stdoutIsTTY === true && TERM !== 'dumb';
  return { colour, width: LINE_WIDTH };
};

const VERDICT = { pass: 'PASS', fail: 'FAIL' } as const;
const ANSI = { pass: '\x1b[32m', fail: '\x1b[31m', reset: '\x1b[39m' } as const;
const INDENT = '      ';

/** A verdict word, green or red when the style has colour. */
const paintVerdict = (verdict: 'pass' | 'fail', style: ConsoleStyle): string =>
  style.colour ? `${ANSI[verdict]}${VERDICT[verdict]}${ANSI.reset}` : VERDICT[verdict];

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;

/**
 * Breaks a line at spaces so each piece fits `width`; pieces after the first start with `hang`. A word
 * longer than the width is broken where it must be.
 */
export const wrapLine = (line: string, width: number, hang: string): string[] => {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const at = space > hang.length ? space : width;
    out.push(rest.slice(0, at).trimEnd());
    rest = hang + rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
};

/**
 * A verdict line: the verdict, the scenario's name, then `fields`, two spaces apart. The name is what gives
 * way (cut with `…`, at least 12 characters kept) so the figures always show. Name and fields are escaped
 * before they are measured (an escape shows as its visible `\u{1B}`), and the verdict painted after, so its
 * colour is the only raw control character of the line.
 */
const headLine = (
  verdict: 'pass' | 'fail',
  name: string,
  fields: readonly string[],
  style: ConsoleStyle,
): TerminalLine[] => {
  const shown = fields.map((f) => escapeControlCharacters(f));
  const fixed = VERDICT[verdict].length + shown.reduce((n, f) => n + 2 + f.length, 2);
  const kept = cut(escapeControlCharacters(name), Math.max(12, style.width - fixed));
  const plain = [`${VERDICT[verdict]}  ${kept}`, ...shown].join('  ');
  const [first = '', ...more] = wrapLine(plain, style.width, INDENT);
  const painted = (line: string) => paintVerdict(verdict, style) + line.slice(VERDICT[verdict].length);
  return [terminalLine(first, painted), ...more.map((l) => terminalLine(l))];
};

const distributionText = (label: string, values: readonly number[]): string => {
  const d = distributionOf(values);
  return d.count === 0 ? `${label} -` : `${label} p50 ${formatMs(d.p50)} max ${formatMs(d.max)}`;
};

/**
 * A run for the console: the verdict line (verdict, scenario, seed, policy, faults, the wall time it took),
 * the figures (MTTD and MTTR over its impactful faults, availability), then one line per SLO it missed.
 * Every line fits the style's width.
 */
export const formatRun = (j: Journal, style: ConsoleStyle = PLAIN): TerminalLine[] => {
  const impactful = j.faults.filter((f) => f.impact);
  const mttd = impactful.flatMap((f) => (f.mttdMs === null ? [] : [f.mttdMs]));
  const mttr = impactful.flatMap((f) => (f.mttrMs === null ? [] : [f.mttrMs]));
  const figures = [
    distributionText('MTTD', mttd),
    distributionText('MTTR', mttr),
    `availability ${formatPercent(j.summary.availability)}`,
  ].join('  ');
  return [
    ...headLine(
      j.verdict,
      j.scenario.name,
      [
        `seed ${j.seed}`,
        `policy ${j.policy}`,
        `faults ${j.faults.length} (${impactful.length} impactful)`,
        `[${formatWallSeconds(j.wall.wallMs)}]`,
      ],
      style,
    ),
    ...fitDetail([`${INDENT}${figures}`, ...formatFailedSlos(j.slos, INDENT)], style),
  ];
};

/** Detail lines, their data escaped, fitted to the width, continued under their text. */
const fitDetail = (lines: readonly string[], style: ConsoleStyle): TerminalLine[] =>
  lines
    .flatMap((l) => wrapLine(escapeControlCharacters(l), style.width, `${INDENT}  `))
    .map((l) => terminalLine(l));

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

const seedList = (seeds: readonly number[], max = 8): string =>
  seeds.length <= max ? seeds.join(', ') : `${seeds.slice(0, max).join(', ')}, ...`;
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
 * A scenario swept over seeds for the console: the verdict line (a scenario fails if any seed fails), then
 * MTTD and MTTR as p50/p95/p99/max pooled over every impactful fault of every seed, the lowest availability,
 * then each SLO missed on some seed. Every line fits the style's width.
 */
export const formatSweep = (s: SweepSummary, wallMs: number, style: ConsoleStyle = PLAIN): TerminalLine[] => {
  const failed = s.failedSeeds.length;
  // Four failed seeds at most here, so the name keeps its room; each missed SLO's line lists more.
  const outcome = failed === 0 ? 'all passed' : `${failed} failed: ${seedList(s.failedSeeds, 4)}`;
  return [
    ...headLine(
      s.verdict,
      s.scenario,
      [`${seedRange(s.seeds)} (${outcome})`, `policy ${s.policy}`, `[${formatWallSeconds(wallMs)}]`],
      style,
    ),
    ...fitDetail(
      [
        `${INDENT}${percentiles('MTTD', s.mttd, 'no impactful fault detected')}`,
        `${INDENT}${percentiles('MTTR', s.mttr, 'no impactful fault recovered')}`,
        `${INDENT}availability min ${formatPercent(s.availabilityMin)}`,
        ...s.slos.filter((x) => x.missedOn.length > 0).map((x) => sweepSloLine(x, s.seeds.length, INDENT)),
      ],
      style,
    ),
  ];
};

/** A refused scenario file: a headline, then one `file:line:col: field: message` line per problem. */
export const formatLoadError = (e: LoadError): string[] => {
  const lines = e.issues.map(formatIssue);
  return e.issues.length === 1 ? lines : [`${e.file}: ${e.message}`, ...lines.map((l) => `  ${l}`)];
};
