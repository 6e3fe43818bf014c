import { formatWallSeconds, plural } from '../base/format.ts';
import { formatFailedSlos } from '../report/console-report.ts';
import type { CounterexampleOrigin } from '../testing/counterexample-file.ts';
import type { Counterexample } from '../testing/explore.ts';

const INDENT = '      ';

/** One fault entry as a scenario file's flow mapping: `{ at: 12s, kind: node-crash, target: node-3 }`. */
const flowEntry = (entry: Readonly<Record<string, unknown>>): string =>
  `{ ${Object.entries(entry)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
    .join(', ')} }`;

/** The verdict of a search that found nothing (or a replayed `--path` that led to no violation). */
export const formatPass = (runs: number, wallMs: number, replaySearch: string, path?: string): string[] => [
  path === undefined
    ? `PASS  no SLO violated in ${plural(runs, 'run')}  [${formatWallSeconds(wallMs)}]`
    : `PASS  no SLO violated replaying path ${path} (${plural(runs, 'run')}): is it this scenario's, with the same flags?  [${formatWallSeconds(wallMs)}]`,
  `${INDENT}replay the search: ${replaySearch}`,
];

/** The verdict of a search that found a counterexample: what it violates, its faults, where it went. */
export const formatCounterexample = (
  c: Counterexample,
  wallMs: number,
  outPath: string,
  origin: CounterexampleOrigin,
): string[] => [
  `FAIL  counterexample after ${plural(c.runsToFailure, 'run')}, shrunk in ${plural(c.shrinks, 'step')} from ${plural(c.firstFaults.length, 'fault')} to ${c.faults.length}  [${formatWallSeconds(wallMs)}]`,
  ...(c.reason.kind === 'slo-violated'
    ? formatFailedSlos(c.reason.violated, INDENT)
    : [`${INDENT}✗ the simulation threw: ${c.reason.message}`]),
  `${INDENT}faults:`,
  ...c.faults.map((f) => `${INDENT}  - ${flowEntry(f)}`),
  `${INDENT}wrote ${outPath}`,
  `${INDENT}replay the violation: ${origin.replayRun}`,
  `${INDENT}replay the search:    ${origin.replaySearch}`,
];
