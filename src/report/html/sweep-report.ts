import type { Journal } from '../journal.ts';
import { formatMs, formatPercent } from './format-time.ts';
import { timeHistogram } from './histogram.ts';
import { esc, htmlPage, table } from './html-page.ts';
import { type ReportSource, replayCommands, runSections } from './run-report.ts';

/** Journals of one scenario under one policy, in seed order. */
interface Group {
  readonly scenario: string;
  readonly policy: string;
  readonly journals: readonly Journal[];
}

const groupsOf = (journals: readonly Journal[]): Group[] => {
  const byKey = new Map<string, Journal[]>();
  for (const j of journals) {
    const key = `${j.scenario.file}\u0000${j.scenario.name}\u0000${j.policy}`;
    const list = byKey.get(key) ?? [];
    list.push(j);
    byKey.set(key, list);
  }
  return [...byKey.values()].map((list) => ({
    scenario: list[0]?.scenario.name ?? '?',
    policy: list[0]?.policy ?? '?',
    journals: [...list].sort((a, b) => a.seed - b.seed),
  }));
};

/** The worst recovery of a run: a never-recovered impactful fault counts as infinitely long. */
const worstMttr = (j: Journal): number =>
  Math.max(0, ...j.faults.filter((f) => f.impact).map((f) => f.mttrMs ?? Number.POSITIVE_INFINITY));

/** Failed runs first, then the longest worst recovery, then the lowest availability. */
const worstFirst = (a: Journal, b: Journal): number =>
  (a.verdict === 'fail' ? 0 : 1) - (b.verdict === 'fail' ? 0 : 1) ||
  worstMttr(b) - worstMttr(a) ||
  a.summary.availability - b.summary.availability ||
  a.seed - b.seed;

const impactful = (g: Group) => g.journals.flatMap((j) => j.faults.filter((f) => f.impact));

const groupSection = (g: Group, source: ReportSource): string => {
  const faults = impactful(g);
  const mttd = faults.flatMap((f) => (f.mttdMs === null ? [] : [f.mttdMs]));
  const mttr = faults.flatMap((f) => (f.mttrMs === null ? [] : [f.mttrMs]));
  const passed = g.journals.filter((j) => j.verdict === 'pass').length;
  const worst = [...g.journals].sort(worstFirst).slice(0, 5);
  const seeds = g.journals.map((j) => j.seed);
  return `<section class="sweep">
<h1>${esc(g.scenario)} <span class="note">policy ${esc(g.policy)}, seeds ${Math.min(...seeds)}..${Math.max(...seeds)}</span> <span class="badge ${passed === g.journals.length ? 'pass' : 'fail'}">${passed}/${g.journals.length} PASS</span></h1>
<p class="lead">${esc(g.journals[0]?.scenario.description ?? '')}</p>
<h2>Detection and recovery over ${g.journals.length} seeds</h2>
<div class="cards">${timeHistogram('MTTD', mttd, faults.length - mttd.length)}${timeHistogram('MTTR', mttr, faults.length - mttr.length)}</div>
<h2>Worst seeds</h2>
${table(
  ['seed', 'verdict', 'failed SLOs', 'worst MTTR', 'availability', 'replay'],
  worst.map((j) => [
    String(j.seed),
    j.verdict === 'pass' ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>',
    esc(
      j.slos
        .filter((s) => !s.pass)
        .map((s) => s.name)
        .join(', ') || '–',
    ),
    esc(Number.isFinite(worstMttr(j)) ? formatMs(worstMttr(j)) : 'never recovered'),
    esc(formatPercent(j.summary.availability)),
    `<code class="replay">${esc(replayCommands(j, source)[0] ?? '')}</code>`,
  ]),
  new Set([0, 3, 4]),
  ' class="worst"',
)}
<h2>Every seed</h2>
${table(
  ['seed', 'verdict', 'availability', 'MTTD p50', 'MTTR p50', 'MTTR p95', 'faults', 'actions', 'trace hash'],
  g.journals.map((j) => [
    String(j.seed),
    j.verdict === 'pass' ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>',
    esc(formatPercent(j.summary.availability)),
    esc(formatMs(j.summary.mttdP50Ms)),
    esc(formatMs(j.summary.mttrP50Ms)),
    esc(formatMs(j.summary.mttrP95Ms)),
    `${j.summary.impactfulFaults}/${j.summary.faults}`,
    String(j.summary.actions),
    `<code>${esc(j.traceHash.slice(0, 16))}</code>`,
  ]),
  new Set([0, 2, 3, 4, 5, 7]),
)}
</section>`;
};

/**
 * The report of several runs: per scenario and policy, a sweep section (distributions, the worst seeds with
 * the command that replays each, every seed); a scenario that ran once gets its full run report.
 */
export const renderSweepReport = (journals: readonly Journal[], source: ReportSource = {}): string => {
  const groups = groupsOf(journals);
  const runs = journals.length;
  const passed = journals.filter((j) => j.verdict === 'pass').length;
  const body = groups
    .map((g) => {
      const [only] = g.journals;
      return g.journals.length === 1 && only !== undefined
        ? runSections(only, source)
        : groupSection(g, source);
    })
    .join('\n<hr>\n');
  return htmlPage(`mapek: ${runs} runs, ${passed} passed`, body);
};
