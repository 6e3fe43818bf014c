import { escapeControlCharacters } from '../base/control-characters.ts';
import type { SloResult } from '../scenario/slo-evaluation.ts';
import { formatSloTarget, formatValue } from './console-report.ts';
import type { Journal } from './journal.ts';

/** A problem inside a test case: an SLO missed (`failure`) or a run that could not happen (`error`). */
export interface JUnitProblem {
  readonly type: string;
  readonly message: string;
  readonly detail: string;
}

/** One test case: one scenario with one seed. */
export interface JUnitCase {
  /** The suite it belongs to: the scenario. */
  readonly suite: string;
  readonly name: string;
  readonly classname: string;
  readonly timeMs: number;
  readonly failures: readonly JUnitProblem[];
  readonly error?: JUnitProblem;
}

/** The test case of a run that could not happen: no failures, one error. */
export const errorCase = (
  where: Pick<JUnitCase, 'suite' | 'name' | 'classname' | 'timeMs'>,
  error: JUnitProblem,
): JUnitCase => ({ ...where, failures: [], error });

/** Characters XML 1.0 cannot hold at all, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML attribute or element, dropping characters XML cannot represent. */
export const escapeXml = (text: string): string =>
  escapeControlCharacters(text, true)
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const seconds = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(3) : '0.000');

const sloValue = (unit: SloResult['unit'], v: number | null): string =>
  v === null ? 'never reached' : formatValue(unit, v);

/** The test case of one run: one `<failure>` per SLO it missed. */
export const junitCaseOf = (j: Journal): JUnitCase => ({
  suite: j.scenario.name,
  name: `${j.scenario.name} [seed ${j.seed}]`,
  classname: `mapek.${j.scenario.name}`,
  timeMs: j.wall.wallMs,
  failures: j.slos
    .filter((s) => !s.pass)
    .map((s) => ({
      type: 'slo',
      message: `${s.name}: target ${formatSloTarget(s)}, actual ${sloValue(s.unit, s.actual)}`,
      detail: [
        `scenario: ${j.scenario.file}`,
        `seed: ${j.seed}, policy: ${j.policy}`,
        ...(s.missed !== undefined && s.missed.length > 0
          ? [`missed by faults: ${s.missed.join(', ')}`]
          : []),
        ...(s.note === undefined ? [] : [s.note]),
        `replay: mapek run ${j.scenario.file} --seed ${j.seed} --policy ${j.policy}`,
      ].join('\n'),
    })),
});

const problem = (tag: 'failure' | 'error', p: JUnitProblem): string =>
  `      <${tag} type="${escapeXml(p.type)}" message="${escapeXml(p.message)}">${escapeXml(p.detail)}</${tag}>`;

/**
 * A JUnit XML report: one `<testsuite>` per scenario, one `<testcase>` per scenario and seed, one
 * `<failure>` per SLO missed and an `<error>` for a run that could not happen. The `failures` and `errors`
 * attributes count test cases, as JUnit readers expect.
 */
export const renderJUnit = (cases: readonly JUnitCase[]): string => {
  const suites = new Map<string, JUnitCase[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const count = (list: readonly JUnitCase[]) => ({
    tests: list.length,
    failures: list.filter((c) => c.error === undefined && c.failures.length > 0).length,
    errors: list.filter((c) => c.error !== undefined).length,
    time: seconds(list.reduce((sum, c) => sum + c.timeMs, 0)),
  });
  const attrs = (o: ReturnType<typeof count>) =>
    `tests="${o.tests}" failures="${o.failures}" errors="${o.errors}" time="${o.time}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mapek" ${attrs(count(cases))}>`,
  ];
  for (const [name, list] of suites) {
    lines.push(`  <testsuite name="${escapeXml(name)}" ${attrs(count(list))}>`);
    for (const c of list) {
      const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${seconds(c.timeMs)}"`;
      const body = [
        ...c.failures.map((f) => problem('failure', f)),
        ...(c.error === undefined ? [] : [problem('error', c.error)]),
      ];
      if (body.length === 0) lines.push(`${open}/>`);
      else lines.push(`${open}>`, ...body, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
};
