import { formatMs, formatPercent } from '../report/html/format-time.ts';
import { esc, htmlPage, table } from '../report/html/html-page.ts';
import { OKABE_ITO, seriesColour } from '../report/html/palette.ts';
import { linear, valueTicks } from '../report/html/svg-scale.ts';
import type { RecoveryRow } from './recovery-table.ts';
import type { BenchReport } from './run-bench.ts';
import type { Quantile, TimeDistribution } from './time-distribution.ts';

const q = (v: Quantile): string => (v === 'never' ? 'never' : formatMs(v));
const num = (v: Quantile): number | null => (typeof v === 'number' ? v : null);

const W = 760;
const L = 120;
const R = 70;
const ROW = 26;

/**
 * MTTR per policy as bars, p50 solid over p95 light, with the oracle's p95 as a dashed line: the bound no
 * policy can beat with the model's action durations. A p95 on a fault never recovered is written, not drawn.
 */
const mttrBars = (rows: readonly RecoveryRow[]): string => {
  const oracle = rows.find((r) => r.policy === 'oracle');
  const bound = oracle === undefined ? null : num(oracle.mttr.p95Ms);
  const max = Math.max(
    1,
    bound ?? 0,
    ...rows.flatMap((r) => [num(r.mttr.p95Ms) ?? 0, num(r.mttr.p50Ms) ?? 0]),
  );
  const x = linear(0, max * 1.05, L, W - R);
  const h = rows.length * ROW + 36;
  const bars = rows
    .map((r, i) => {
      const y = 8 + i * ROW;
      const p95 = num(r.mttr.p95Ms);
      const p50 = num(r.mttr.p50Ms);
      const colour = seriesColour(i);
      const tip = `${r.policy}: MTTR p50 ${q(r.mttr.p50Ms)}, p95 ${q(r.mttr.p95Ms)}, max ${q(r.mttr.maxMs)}`;
      return `<g class="policy-bar" data-policy="${esc(r.policy)}"><text x="${L - 6}" y="${y + 14}" text-anchor="end">${esc(r.policy)}</text>${
        p95 === null
          ? ''
          : `<rect x="${L}" y="${y + 2}" width="${(x(p95) - L).toFixed(1)}" height="${ROW - 8}" fill="${colour}" fill-opacity="0.35"/>`
      }${
        p50 === null
          ? ''
          : `<rect x="${L}" y="${y + 6}" width="${(x(p50) - L).toFixed(1)}" height="${ROW - 16}" fill="${colour}"/>`
      }<text x="${p95 === null ? L + 4 : x(p95) + 4}" y="${y + 14}" font-size="10">${esc(r.mttr.p95Ms === 'never' ? 'p95 never' : r.mttr.count === 0 ? 'no impact' : q(r.mttr.p95Ms))}</text><title>${esc(tip)}</title></g>`;
    })
    .join('');
  const axis = valueTicks(0, max * 1.05, 5)
    .map(
      (t) =>
        `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="6" y2="${h - 28}"/><text x="${x(t)}" y="${h - 16}" text-anchor="middle">${esc(formatMs(t))}</text>`,
    )
    .join('');
  const oracleLine =
    bound === null
      ? ''
      : `<g class="oracle-bound"><line x1="${x(bound)}" x2="${x(bound)}" y1="4" y2="${h - 28}" stroke="${OKABE_ITO.black}" stroke-dasharray="5 3" stroke-width="1.4"/><text x="${x(bound) + 3}" y="${h - 30}" font-size="10">oracle bound (p95)</text></g>`;
  return `<svg class="bench-bars" viewBox="0 0 ${W} ${h}" role="img" aria-label="MTTR per policy" xmlns="http://www.w3.org/2000/svg"><g class="axis">${axis}<text x="${W - R}" y="${h - 3}" text-anchor="end">MTTR: p50 (dark), p95 (light)</text></g>${bars}${oracleLine}</svg>`;
};

const dist = (d: TimeDistribution) =>
  `${q(d.p50Ms)} / ${q(d.p95Ms)}${d.never > 0 ? ` (${d.never} never)` : ''}`;

const ratio = (r: RecoveryRow['mttrP95VsOracle']) =>
  r === null ? '–' : typeof r === 'number' ? `${r.toFixed(2)}×` : r;

/** A benchmark's report: per scenario, every policy side by side with the oracle's bound. */
export const renderBenchReport = (b: BenchReport): string => {
  const sections = b.scenarios.map((s) => {
    const rows = b.recovery.filter((r) => r.scenario === s.name);
    return `<section class="bench-scenario keep"><h2>${esc(s.name)} <span class="note">${esc(s.file)}, ${esc(formatMs(s.durationMs))}, seeds ${s.seeds.length}</span></h2>
${mttrBars(rows)}
${table(
  [
    'policy',
    'seeds passing',
    'MTTD p50 / p95',
    'MTTR p50 / p95',
    'MTTR p95 vs oracle',
    'availability (worst seed)',
    'lost writes',
    'actions / fault',
    'cost / fault',
  ],
  rows.map((r) => [
    `<b>${esc(r.policy)}</b>`,
    `${r.seedsPassing}/${r.seeds}`,
    esc(dist(r.mttd)),
    esc(dist(r.mttr)),
    esc(ratio(r.mttrP95VsOracle)),
    esc(formatPercent(r.availabilityMin)),
    String(r.lostWritesTotal),
    r.actionsPerFault === null ? '–' : r.actionsPerFault.toFixed(2),
    r.costPerFault === null ? '–' : r.costPerFault.toFixed(1),
  ]),
  new Set([1, 4, 5, 6, 7, 8]),
)}</section>`;
  });
  const targets = b.targets.map((t) => [
    t.status === 'PASS'
      ? `<span class="pass">${esc(t.status)}</span>`
      : `<span class="fail">${esc(t.status)}</span>`,
    esc(t.id),
    esc(t.detail),
  ]);
  return htmlPage(
    `mapek bench: ${b.scenarios.length} scenarios x ${b.policies.length} policies`,
    `<h1>Recovery benchmark</h1>
<p class="lead">Every policy on the same seeds and the same fault schedules; the oracle reads ground truth and acts at once, so its MTTR is a lower bound for the model's action durations.</p>
<dl class="facts"><dt>command</dt><dd><pre class="cmd">${esc(b.command)}</pre></dd><dt>mapek</dt><dd>${esc(b.mapekVersion)}</dd><dt>policies</dt><dd>${esc(b.policies.join(', '))}</dd></dl>
${targets.length === 0 ? '' : `<h2>Targets</h2>${table(['status', 'target', 'detail'], targets)}`}
${sections.join('\n')}`,
  );
};
