import { Document, isMap, isSeq } from 'yaml';
import { plural } from '../base/format.ts';
import { formatFailedSlos } from '../report/console-report.ts';
import type { Counterexample } from './explore.ts';
import { describeBudget, type FaultBudget } from './fault-budget.ts';
import type { ScenarioInput } from './scenario-input.ts';

/** How a counterexample was found, for the header of its file. */
export interface CounterexampleOrigin {
  /** The scenario file the search started from, as given. */
  readonly scenarioFile: string;
  /** fast-check's seed of the search. */
  readonly seed: number;
  readonly budget: FaultBudget;
  /** The command that replays the search (`mapek explore ... --seed S --path P`). */
  readonly replaySearch: string;
  /** The command that replays the violation (`mapek run <file>`). */
  readonly replayRun: string;
  /** The version of mapek that found it. */
  readonly mapekVersion: string;
}

/** Why the counterexample fails, one line per SLO (or the error the simulation threw). */
const reasonLines = (c: Counterexample): string[] =>
  c.reason.kind === 'slo-violated'
    ? formatFailedSlos(c.reason.violated, '  ').map((l) => l.replace(/^ {2}✗ /, '  '))
    : [`  the simulation threw: ${c.reason.message}`];

/** The names of the SLOs a counterexample violates (empty when the simulation threw). */
export const violatedNames = (c: Counterexample): string[] =>
  c.reason.kind === 'slo-violated' ? c.reason.violated.map((s) => s.name) : [];

/** The header comment: what the file is, how it was found, what it violates, and how to replay both. */
const header = (c: Counterexample, origin: CounterexampleOrigin): string[] => [
  `Counterexample found by \`mapek explore\` (mapek ${origin.mapekVersion}) from ${origin.scenarioFile}:`,
  'a minimal fault schedule, within the budget below, that breaks the scenario. Everything but the',
  'faults (cluster, workload, controller, SLOs, seed) is the original scenario, with the policy searched.',
  '',
  c.reason.kind === 'slo-violated'
    ? `Violated SLOs: ${violatedNames(c).join(', ')}`
    : 'The simulation threw:',
  ...reasonLines(c),
  '',
  `Search: fast-check seed ${origin.seed}; the first failing schedule came after ${plural(c.runsToFailure, 'run')}`,
  `and had ${plural(c.firstFaults.length, 'fault')}; ${plural(c.shrinks, 'shrink step')} left ${plural(c.faults.length, 'fault')}. Path: ${c.path}`,
  `Budget: ${describeBudget(origin.budget)}.`,
  '',
  `Replay the violation: ${origin.replayRun}`,
  `Replay the search:    ${origin.replaySearch}`,
];

const NAME_SUFFIX = '-counterexample';

/**
 * A counterexample as an ordinary scenario file (YAML): a header comment saying how it was found, then the
 * scenario with its explicit, shrunk timeline (one fault a line). `mapek run` replays it to the same
 * violation.
 */
export const renderCounterexample = (c: Counterexample, origin: CounterexampleOrigin): string => {
  const input: ScenarioInput = c.input;
  const name = typeof input.name === 'string' ? input.name : 'scenario';
  const doc = new Document({
    ...input,
    name: name.endsWith(NAME_SUFFIX) ? name : `${name}${NAME_SUFFIX}`,
    description: `Minimal fault schedule found by mapek explore that violates: ${violatedNames(c).join(', ') || 'the simulation threw'}.`,
  });
  const faults = doc.get('faults', true);
  if (isSeq(faults)) for (const item of faults.items) if (isMap(item)) item.flow = true;
  const comment = header(c, origin)
    .map((l) => (l === '' ? '#' : `# ${l}`))
    .join('\n');
  return `${comment}\n${doc.toString({ lineWidth: 0 })}`;
};
