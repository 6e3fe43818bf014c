import { formatMs, formatPercent } from '../base/format.ts';
import { LEARNING_ARMS } from './bench-job.ts';
import type { LearningCurve, LearningPoint } from './learning-curve.ts';
import type { OracleRatio, RecoveryRow } from './recovery-table.ts';
import type { BenchReport } from './run-bench.ts';
import type { TargetResult } from './targets.ts';
import type { ThroughputReport } from './throughput-summary.ts';
import { quantileText as q, type TimeDistribution } from './time-distribution.ts';

/** `p50 / p95 / p99 / max`, `-` without data. */
const dist = (d: TimeDistribution): string =>
  d.count === 0 ? '-' : [d.p50Ms, d.p95Ms, d.p99Ms, d.maxMs].map(q).join(' / ');

const ratioText = (r: OracleRatio): string => (r === null ? '-' : typeof r === 'number' ? `${r}x` : r);

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

const num = (x: number | null, digits = 2) => (x === null ? '-' : String(Number(x.toFixed(digits))));

/** The PASS/MISS lines, as the console prints them. */
export const targetLines = (targets: readonly TargetResult[]): string[] =>
  targets.map((t) => `${t.status.padEnd(7)} ${t.id}: ${t.detail}`);

/** A row per scenario, a column per policy: MTTR p95 (x the oracle's), and the worst seed's availability. */
const summarySection = (report: BenchReport): string[] => {
  const policies = report.policies;
  const cell = (scenario: string, policy: string, what: 'mttr' | 'availability'): string => {
    const r = report.recovery.find((x) => x.scenario === scenario && x.policy === policy);
    if (r === undefined) return '-';
    if (what === 'availability') return formatPercent(r.availabilityMin);
    if (r.impactful === 0) return 'no impact';
    const ratio = r.mttrP95VsOracle;
    return policy === 'oracle' || typeof ratio !== 'number'
      ? q(r.mttr.p95Ms)
      : `${q(r.mttr.p95Ms)} (${ratio}x)`;
  };
  const rows = (what: 'mttr' | 'availability') =>
    report.scenarios.map((s) => [s.name, ...policies.map((p) => cell(s.name, p, what))]);
  return [
    '## Summary',
    '',
    'MTTR p95 over every impactful fault of every seed (in brackets, over the oracle’s p95 on the same scenario):',
    '',
    ...table(['scenario', ...policies.map((p) => `\`${p}\``)], rows('mttr')),
    '',
    'Availability, worst seed:',
    '',
    ...table(['scenario', ...policies.map((p) => `\`${p}\``)], rows('availability')),
    '',
  ];
};

const recoverySection = (report: BenchReport): string[] => {
  const out: string[] = ['## Recovery per scenario and policy', ''];
  out.push(
    'Every policy faces the same faults: same seeds, same fault schedules. Times are simulated. MTTD and MTTR are',
    'p50 / p95 / p99 / max over every impactful fault of every seed (`src/measures`). A fault never detected or',
    'never recovered counts as slower than any other, so a percentile that lands on one reads `never`; left out',
    'are faults still open at the end of a run and younger than the scenario’s SLO target, and, for MTTD, faults',
    'whose harm was over within the detection target with nobody detecting them (as the SLO verdict exempts',
    'them). "vs oracle" is MTTR p95 over the oracle’s on the same scenario: `n/a` when the oracle prevented all',
    'impact (no impactful fault, nothing to divide by), `never` when the policy’s own p95 is. Availability is the',
    'worst seed / the mean over seeds; "in SLO" is the share of impactful faults recovered within the scenario’s',
    'recovery SLO; actions and their cost (effector catalog units) are per injected fault.',
    '',
  );
  for (const s of report.scenarios) {
    const rows = report.recovery.filter((r) => r.scenario === s.name);
    if (rows.length === 0) continue;
    out.push(
      `### ${s.name}`,
      '',
      `${s.singleFault ? 'Single fault' : 'Several faults'}, ${formatMs(s.durationMs)} simulated, ${s.seeds.length} seed${s.seeds.length === 1 ? '' : 's'} (\`${s.file}\`).`,
      '',
    );
    out.push(
      ...table(
        [
          'policy',
          'impactful / faults',
          'MTTD p50 / p95 / p99 / max',
          'MTTR p50 / p95 / p99 / max',
          'MTTR p95 vs oracle',
          'availability min / mean',
          'in SLO',
          'lost writes',
          'actions / fault',
          'cost / fault',
          'seeds passing',
        ],
        rows.map((r: RecoveryRow) => [
          `\`${r.policy}\``,
          `${r.impactful} / ${r.faults}`,
          dist(r.mttd),
          dist(r.mttr),
          ratioText(r.mttrP95VsOracle),
          `${formatPercent(r.availabilityMin)} / ${formatPercent(r.availabilityMean)}`,
          r.recoverySuccessRate === null ? '-' : formatPercent(r.recoverySuccessRate),
          r.lostWritesTotal === 0
            ? '0'
            : `${Math.round(r.lostWritesTotal)} (max ${Math.round(r.lostWritesMax)})`,
          num(r.actionsPerFault),
          num(r.costPerFault, 1),
          `${r.seedsPassing} / ${r.seeds}`,
        ]),
      ),
      '',
    );
  }
  return out;
};

const pointText = (p: LearningPoint | undefined): string =>
  p === undefined || p.mttr.count === 0
    ? '-'
    : `${q(p.mttr.p50Ms)} / ${q(p.mttr.p95Ms)} (mean ${formatMs(p.mttrMeanMs)})`;

const learningSection = (curves: readonly (LearningCurve & { readonly file: string })[]): string[] => {
  if (curves.length === 0) return [];
  const out: string[] = [
    '## Learning curve',
    '',
    'The same scenario run again and again (seeds 1, 2, 3... in each sequence), the MAPE-K loop with its',
    'knowledge file carried from each run to the next (`carried`), starting each run from nothing (`fresh`:',
    'it learns within a run only), and with knowledge updates disabled (`frozen`: the catalog’s priors decide',
    'every time). Each cell pools the n-th run of every sequence: MTTR p50 / p95 (and the mean) over impactful',
    'faults. Learning pays when, over every run after the first, `carried` has MTTR p50 and p95 no worse than',
    '`frozen` and one of them at least 5 % lower.',
    '',
  ];
  for (const c of curves) {
    out.push(
      `### ${c.scenario}`,
      '',
      `${c.runs} successive runs, ${c.sequences} sequences (\`${c.file}\`).`,
      '',
      ...table(
        ['run', ...LEARNING_ARMS.map((a) => `${a} MTTR p50 / p95`), 'availability carried / frozen'],
        Array.from({ length: c.runs }, (_, i) => [
          String(i + 1),
          ...LEARNING_ARMS.map((a) => pointText(c.points[a][i])),
          `${formatPercent(c.points.carried[i]?.availabilityMean)} / ${formatPercent(c.points.frozen[i]?.availabilityMean)}`,
        ]),
      ),
      '',
      `Runs 2 to ${c.runs}: carried ${pointText(c.afterFirst.carried)}, fresh ${pointText(c.afterFirst.fresh)}, frozen ${pointText(c.afterFirst.frozen)}; carried over frozen: p50 ${num(c.carriedVsFrozen.p50, 3)}, p95 ${num(c.carriedVsFrozen.p95, 3)}. **Learning ${c.verdict === 'pays' ? 'pays' : c.verdict === 'hurts' ? 'hurts' : 'makes no difference'}** here.`,
      '',
    );
  }
  return out;
};

const throughputSection = (t: ThroughputReport | null): string[] => {
  if (t === null) return [];
  const out: string[] = [
    '## Simulator throughput',
    '',
    'The throughput world (`src/bench/throughput-scenario.ts`): about four replicas per node, a diurnal load at',
    '60 % of capacity at peak, random chaos of every kind every 10 minutes, 10 s scrapes; the loop at its default',
    '10 s cycle. Each run in a fresh process, one at a time; wall time is the median of the repeats (all of them',
    'in the last column), peak memory the worst; CPU is the process’s CPU time over the same span, every thread',
    '(the garbage collector’s helpers too). Speed-up is simulated time per wall time.',
    '',
    ...table(
      [
        'nodes',
        'simulated',
        'controller',
        'wall (median)',
        'CPU',
        'speed-up',
        'events',
        'events / s',
        'peak RSS',
        'repeats (ms)',
      ],
      t.cases.map((c) => [
        String(c.nodes),
        `${c.hours} h`,
        `\`${c.policy}\``,
        `${c.wallMs} ms`,
        `${c.cpuMs} ms`,
        `${c.speedup.toLocaleString('en')}x`,
        c.events.toLocaleString('en'),
        c.eventsPerSecond.toLocaleString('en'),
        `${c.peakRssMb} MB`,
        c.wallMsAll.join(', '),
      ]),
    ),
    '',
  ];
  if (t.growth.length > 0) {
    out.push(
      'How wall time grows (exponent k in wall ∝ size^k: 1 is linear):',
      '',
      ...t.growth.map((g) =>
        g.dimension === 'nodes'
          ? `- \`${g.policy}\`, ${g.at} h: ${g.from} → ${g.to} nodes (x${g.to / g.from}): wall x${g.wallRatio} (k = ${g.exponent})`
          : `- \`${g.policy}\`, ${g.at} nodes: ${g.from} h → ${g.to} h (x${g.to / g.from}): wall x${g.wallRatio} (k = ${g.exponent})`,
      ),
      '',
    );
  }
  if (t.loopOverhead.length > 0) {
    out.push(
      'The loop’s cost against the same world with no controller (and with the oracle, which keeps it whole too):',
      '',
      ...t.loopOverhead.map(
        (o) =>
          `- ${o.nodes} nodes, ${o.hours} h: ${o.mapekMs} ms against ${o.noopMs} ms, ${o.ratio}x (CPU time: ${o.cpuRatio}x)${o.ratioToOracle === null ? '' : `; ${o.ratioToOracle}x the oracle's ${o.oracleMs} ms`}`,
      ),
      '',
    );
  }
  out.push(...commandSection(t));
  return out;
};

/** Whole commands as a user runs them, cold: the figures to quote beside the throughput world. */
const commandSection = (t: ThroughputReport): string[] => {
  const f = t.commands;
  if (f === undefined || f.commands.length === 0) return [];
  const runs =
    f.commands[0]?.runs === 'dist'
      ? 'the compiled `bin/mapek.js`'
      : 'the sources through tsx (no `npm run build`)';
  return [
    '### The bundled 24 h scenario, as users run it',
    '',
    `Whole \`mapek\` processes, cold (start-up, loading, JIT warm-up included), run from ${runs} with the`,
    "scenario's own cycle and scrape intervals; CPU is the process's, every thread (the worker pool's too).",
    '',
    ...table(
      ['command', 'wall (median)', 'CPU', 'peak RSS', 'exit', 'repeats (ms)'],
      f.commands.map((c) => [
        `\`mapek ${c.args.join(' ')}\``,
        `${c.wallMs} ms`,
        `${c.cpuMs} ms`,
        `${c.peakRssMb} MB`,
        String(c.exitCode),
        c.wallMsAll.join(', '),
      ]),
    ),
    '',
    ...(f.scenarioLoop === null
      ? []
      : [
          `- the loop against no controller: ${f.scenarioLoop.ratio}x on wall, ${f.scenarioLoop.cpuRatio}x on CPU (${f.scenarioLoop.loopCpuMs} ms against ${f.scenarioLoop.noopCpuMs} ms)`,
        ]),
    ...(f.sweepWorkers === null
      ? []
      : [
          `- \`--seeds ${f.sweepWorkers.seeds}\`: ${f.sweepWorkers.oneMs} ms on 1 worker, ${f.sweepWorkers.twoMs} ms on 2: ${f.sweepWorkers.speedup}x`,
        ]),
    ...(f.explore === null || f.explore === undefined
      ? []
      : [
          `- \`explore\` of ${f.explore.runs.toLocaleString('en')} schedules on ${f.explore.workers} workers: ${f.explore.wallMs} ms (${Math.round((f.explore.wallMs / f.explore.runs) * 10) / 10} ms a schedule)`,
        ]),
    '',
  ];
};

/** The benchmark as markdown: targets, the recovery tables, the learning curves, simulator throughput. */
export const renderMarkdown = (report: BenchReport): string => {
  const w = report.wall;
  const lines = [
    '# Recovery-time benchmark',
    '',
    `\`${report.command}\` — mapek ${report.mapekVersion}, ${report.quick ? 'quick mode, ' : ''}Node ${w.node}, ${w.cpus} CPUs, ${w.workers} worker${w.workers === 1 ? '' : 's'}; ${(w.totalMs / 1_000).toFixed(0)} s wall (recovery ${(w.recoveryMs / 1_000).toFixed(0)} s, learning ${(w.learningMs / 1_000).toFixed(0)} s, throughput ${(w.throughputMs / 1_000).toFixed(0)} s).`,
    '',
    '## Targets',
    '',
    'Goals for the policy, checked by the benchmark (not test assertions):',
    '',
    '```',
    ...targetLines(report.targets),
    '```',
    '',
    ...summarySection(report),
    ...recoverySection(report),
    ...learningSection(report.learning),
    ...throughputSection(report.throughput),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
};
