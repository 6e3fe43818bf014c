import { cycleCounts } from '../../timeline/cycle-runs.ts';
import type { LoopDiagnosis } from '../../timeline/run-timeline.ts';
import type { Journal, JournalAction, JournalFault } from '../journal.ts';
import { formatAt, formatMs, formatPercent } from './format-time.ts';
import { esc, htmlPage, table } from './html-page.ts';
import { sloTable } from './slo-table.ts';
import {
  type ChartAction,
  type ChartThreshold,
  PANELS,
  panelsFor,
  type TimelineData,
  timelineLegend,
  timelineSvg,
} from './timeline-chart.ts';

/** Where the report's journal came from, for the replay command. */
export interface ReportSource {
  /** The journal file, when the report is rendered from one (`mapek report FILE`). */
  readonly journalFile?: string;
}

/** The failure type the loop should name for each ground-truth fault kind. */
const EXPECTED_TYPE: Readonly<Record<string, string>> = {
  'node-crash': 'NodeCrash',
  'network-partition': 'NetworkPartition',
  'resource-exhaustion': 'ResourceExhaustion',
  'performance-degradation': 'PerformanceDegradation',
};

/** What an action was aimed at: its request's target fields. */
const targetOf = (a: JournalAction): string =>
  Object.entries(a.request)
    .filter(([k]) => k !== 'kind')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(' ');

const chartAction = (a: JournalAction): ChartAction => ({
  id: a.id,
  kind: a.request.kind,
  target: targetOf(a),
  by: a.by,
  startedAtMs: a.startedAtMs,
  finishedAtMs: a.finishedAtMs,
  outcome: a.outcome,
  failure: a.failure === null ? null : String(a.failure.kind ?? 'failed'),
});

/** Every action of the run: the timeline's ledger, or (older journals) those attributed to faults. */
const allActions = (j: Journal): JournalAction[] => {
  if (j.timeline !== undefined) return [...j.timeline.actions];
  const byId = new Map<number, JournalAction>();
  for (const f of j.faults) for (const a of f.actions) byId.set(a.id, a);
  return [...byId.values()].sort((a, b) => a.id - b.id);
};

/** SLOs drawn as lines: availability on the availability panel, degradation on the error-rate panel. */
const thresholdsOf = (j: Journal): ChartThreshold[] => {
  const out: ChartThreshold[] = [];
  for (const s of j.slos) {
    const pct = s.unit === 'ratio' ? s.target * 100 : s.target;
    if (s.name === 'availability')
      out.push({ panel: 'availability', value: pct, label: `availability SLO ${pct} %` });
    if (s.name === 'maxDegradation')
      out.push({ panel: 'errorRate', value: pct, label: `max degradation SLO ${pct} % (per window)` });
  }
  return out;
};

/** The run's timeline as the chart takes it. */
export const timelineData = (j: Journal): TimelineData => ({
  endMs: j.durationMs,
  faults: j.faults.map((f) => ({
    id: f.id,
    kind: f.kind,
    targets: f.targets,
    injectedAtMs: f.injectedAtMs,
    clearedAtMs: f.clearedAtMs,
    recoveredAtMs: f.recoveredAtMs,
  })),
  detections:
    j.timeline?.detections ??
    j.faults.flatMap((f) =>
      f.detectedAtMs === null
        ? []
        : [{ atMs: f.detectedAtMs, component: f.targets.join(','), diagnosis: f.diagnosis ?? '?' }],
    ),
  actions: allActions(j).map(chartAction),
  levelChanges: j.timeline?.levelChanges ?? null,
  series: j.timeline?.series ?? [],
  thresholds: thresholdsOf(j),
});

/** The loop's first diagnosis of a fault: on one of its nodes, at or after its injection. */
const diagnosisOf = (f: JournalFault, diagnoses: readonly LoopDiagnosis[]): LoopDiagnosis | undefined =>
  diagnoses.find((d) => d.atMs >= f.injectedAtMs && d.nodes.some((n) => f.targets.includes(n)));

const faultRows = (j: Journal): string[][] => {
  const diagnoses = j.timeline?.diagnoses ?? [];
  return j.faults.map((f) => {
    const d = diagnosisOf(f, diagnoses);
    const named = d?.type ?? f.diagnosis;
    const expected = EXPECTED_TYPE[f.kind];
    const verdict =
      named === null || named === undefined
        ? '<span class="note">not named</span>'
        : named === expected
          ? '<span class="pass">matches</span>'
          : `<span class="fail">differs</span> (truth: ${esc(expected ?? f.kind)})`;
    const params = Object.entries(f.params)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
    const groups = new Map<string, number>();
    for (const a of f.actions) {
      const k = `${a.request.kind} ${a.outcome}`;
      groups.set(k, (groups.get(k) ?? 0) + 1);
    }
    const actions = [...groups].map(([k, n]) => {
      const [kind, outcome] = k.split(' ');
      return `<span class="${outcome === 'failed' ? 'fail' : ''}">${esc(kind ?? '')} ×${n} ${esc(outcome ?? '')}</span>`;
    });
    return [
      `<b>${esc(f.id)}</b>`,
      `${esc(f.kind)}<br><span class="note">${esc(f.targets.join(', ') || '–')}${params === '' ? '' : `; ${esc(params)}`}</span>`,
      esc(formatAt(f.injectedAtMs)),
      esc(formatAt(f.clearedAtMs)),
      f.impact ? 'yes' : '<span class="note">no (exempt)</span>',
      esc(formatAt(f.detectedAtMs)),
      esc(formatMs(f.mttdMs)),
      esc(formatAt(f.recoveredAtMs)),
      esc(formatMs(f.mttrMs)),
      actions.length === 0 ? '–' : actions.join('<br>'),
      named === null || named === undefined
        ? '–'
        : `${esc(named)}${d === undefined ? '' : `<br><span class="note">${esc(d.cause)}: ${esc(d.rootCause)}</span>`}`,
      verdict,
    ];
  });
};

/** The commands that run this journal's run again, exactly. */
export const replayCommands = (j: Journal, source: ReportSource = {}): string[] => [
  `mapek run ${shellWord(j.scenario.file)} --seed ${j.seed} --policy ${j.policy}`,
  ...(source.journalFile === undefined ? [] : [`mapek replay ${shellWord(source.journalFile)}`]),
];

/** A word quoted for a POSIX shell when it needs it. */
export const shellWord = (w: string): string =>
  /^[\w./@:+-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`;

const card = (value: string, label: string) =>
  `<div class="card"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;

/** The header facts of a run: what ran, and how to run it again. */
const identity = (j: Journal, source: ReportSource): string => `<dl class="facts">
<dt>scenario</dt><dd>${esc(j.scenario.name)} <span class="note">(${esc(j.scenario.file)}, sha256 ${esc(j.scenario.sha256.slice(0, 16))}…)</span></dd>
<dt>seed</dt><dd>${j.seed}</dd>
<dt>policy</dt><dd>${esc(j.policy)}</dd>
<dt>duration</dt><dd>${esc(formatMs(j.durationMs))} simulated, ${j.summary.events} kernel events</dd>
<dt>trace hash</dt><dd><code>${esc(j.traceHash)}</code></dd>
<dt>mapek</dt><dd>${esc(j.mapekVersion)}</dd>
<dt>replay</dt><dd>${replayCommands(j, source)
  .map((c) => `<pre class="cmd">${esc(c)}</pre>`)
  .join('')}</dd>
</dl>`;

/** The sections of one run, without the page around them (a sweep report embeds them too). */
export const runSections = (j: Journal, source: ReportSource = {}): string => {
  const data = timelineData(j);
  const s = j.summary;
  const drawn = panelsFor(data.series).map((p) => p.id);
  const waiting = PANELS.filter((p) => !drawn.includes(p.id)).map((p) => p.title);
  // Cycles that planned, dispatched or went wrong are listed; quiet and watching ones are only counted.
  const busy = j.timeline?.busyCycles ?? [];
  const quietRuns = j.timeline?.quietCycles ?? [];
  const counts = cycleCounts({ busyCycles: busy, quietCycles: quietRuns });
  const allCycles = counts.quiet + counts.watching + counts.busy;
  const longest = Math.max(0, ...busy.map((c) => c.totalMs), ...quietRuns.map((r) => r.totalMs));
  return `<section class="run">
<h1>${esc(j.scenario.name)} <span class="badge ${j.verdict}">${j.verdict.toUpperCase()}</span></h1>
<p class="lead">${esc(j.scenario.description)}</p>
${identity(j, source)}
<div class="cards keep">
${card(formatPercent(s.availability), 'availability')}
${card(`${s.maxDegradationPercent.toFixed(1)} %`, 'worst degradation')}
${card(`${formatMs(s.mttdP50Ms)} / ${formatMs(s.mttdP95Ms)}`, 'MTTD p50 / p95')}
${card(`${formatMs(s.mttrP50Ms)} / ${formatMs(s.mttrP95Ms)}`, 'MTTR p50 / p95')}
${card(`${s.impactfulFaults} of ${s.faults}`, 'faults with impact')}
${card(String(data.actions.length), 'actions')}
${card(String(s.lostWrites), 'lost writes')}
</div>
<h2>Timeline</h2>
<figure>${timelineSvg(data)}
<figcaption>${timelineLegend(data)}Hover a band or marker for its details. Service metrics are ground truth (what clients got), not the loop's sensors.${
    j.timeline === undefined
      ? ' This journal has no timeline (written by an older mapek): service levels are not drawn; run again with this version to see them.'
      : ` Panels for ${esc(waiting.join(', '))} appear when the traffic model records those metrics.`
  }</figcaption></figure>
<h2>SLO verdicts</h2>
${sloTable(j.slos)}
<h2>Faults</h2>
${table(['fault', 'kind (ground truth)', 'injected', 'cleared', 'impact', 'detected', 'MTTD', 'recovered', 'MTTR', 'actions', 'named by the loop', 'vs truth'], faultRows(j), new Set([6, 8]), ' class="faults"')}
${j.skippedFaults.length === 0 ? '' : `<p class="note">Skipped faults: ${j.skippedFaults.map((f) => esc(`${f.kind} at ${formatAt(f.atMs)} (${f.reason})`)).join('; ')}</p>`}
${
  allCycles === 0
    ? ''
    : `<h2>MAPE-K cycles</h2><p class="note">${allCycles} cycles: ${counts.quiet} quiet (monitoring only), ${counts.watching} that analysed and found nothing new to do, ${counts.busy} listed here (they planned, acted or went wrong). The longest took ${esc(formatMs(longest))} of sim time.</p>${table(
        ['cycle', 'started', 'monitor', 'analyze', 'plan', 'execute', 'status', 'planned'],
        busy
          .slice(0, 200)
          .map((c) => [
            String(c.cycle),
            esc(formatAt(c.startedAtMs)),
            esc(formatMs(c.monitorMs)),
            esc(formatMs(c.analyzeMs)),
            esc(formatMs(c.planMs)),
            esc(formatMs(c.executeMs)),
            c.status === 'timeout' || c.status === 'failed' || c.status === 'unattended'
              ? `<span class="fail">${c.status}</span>`
              : c.status,
            esc(c.planned.join('; ') || '–'),
          ]),
        new Set([0, 2, 3, 4, 5]),
      )}${busy.length > 200 ? `<p class="note">First 200 of ${busy.length} busy cycles shown.</p>` : ''}`
}
</section>`;
};

/** One run's report: a whole self-contained HTML page. */
export const renderRunReport = (j: Journal, source: ReportSource = {}): string =>
  htmlPage(`${j.scenario.name} seed ${j.seed} (${j.policy}): ${j.verdict}`, runSections(j, source));
