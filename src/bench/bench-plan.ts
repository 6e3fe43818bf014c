import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolicyName } from '../controllers/controller-spec.ts';
import type { LoadError } from '../scenario/load-error.ts';
import { loadScenarioFile } from '../scenario/loader.ts';
import { commandCases } from './command-summary.ts';
import type { CommandCase } from './command-timing.ts';
import type { LearningPlan } from './learning-curve.ts';
import type { ThroughputCase } from './throughput.ts';

/** One scenario of the recovery matrix. */
export interface PlannedScenario {
  readonly file: string;
  readonly name: string;
  readonly durationMs: number;
  /** One timeline fault and no random generator: what the oracle-ratio target is judged on. */
  readonly singleFault: boolean;
  readonly seeds: readonly number[];
}

/** A throughput case and how many times it is measured (the median counts). */
export interface PlannedThroughput {
  readonly case: ThroughputCase;
  readonly repeats: number;
}

/** Everything one benchmark run will do. */
export interface BenchPlan {
  readonly scenarios: readonly PlannedScenario[];
  readonly policies: readonly PolicyName[];
  readonly learning: readonly LearningPlan[];
  readonly throughput: readonly PlannedThroughput[];
  /** Whole `mapek` commands timed cold, as a user runs them (with the throughput cases). */
  readonly commands?: readonly { readonly case: CommandCase; readonly repeats: number }[];
  /** Worker processes for the recovery matrix and the learning curves. */
  readonly workers: number;
  readonly quick: boolean;
  /** Controller modules among the policies: the path as given, to the absolute path workers import. */
  readonly modules?: Readonly<Record<string, string>>;
}

/** What the user asked for, as `mapek bench` flags give it. */
export interface BenchOptions {
  readonly scenarioFiles: readonly string[];
  readonly policies: readonly PolicyName[];
  /** Seeds per scenario (1..n; `mapek bench` gives 30 by default, 3 with `--quick`). */
  readonly seeds: number;
  readonly quick: boolean;
  readonly learning: boolean;
  readonly throughput: boolean;
  readonly workers: number;
}

/** A scenario longer than this is long: with `--quick` it gets one seed. */
export const LONG_SCENARIO_MS = 3_600_000;

/** The bundled scenarios, wherever the command is run from. */
export const BUNDLED_SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/**
 * The learning-curve scenarios: the bundled rolling crashes (the catalog's first choice already works there),
 * and the same crashes on a cluster with no spare CPU (where it cannot, until knowledge says so).
 */
export const LEARNING_SCENARIOS: readonly string[] = [
  fileURLToPath(new URL('../../scenarios/rolling-crashes.yaml', import.meta.url)),
  fileURLToPath(new URL('../../bench/scenarios/packed-rolling-crashes.yaml', import.meta.url)),
];

const LEARNING = { full: { runs: 8, sequences: 5 }, quick: { runs: 4, sequences: 2 } } as const;

/**
 * Throughput cases: how cost grows with the cluster (50, 200, 1,000 nodes over 24 h) and with simulated time
 * (6 h against 24 h), each without a controller and with the loop; the oracle at 50 nodes separates the
 * loop's own cost from that of a cluster kept whole. Small cases are repeated (their medians are what the
 * loop-throughput target is judged on); a 1,000-node case once.
 */
const THROUGHPUT = {
  full: { nodes: [50, 200, 1_000], shortFor: [50, 200] },
  quick: { nodes: [50, 200], shortFor: [50] },
} as const;
const repeatsFor = (nodes: number) => (nodes <= 50 ? 7 : nodes <= 200 ? 3 : 1);

const throughputCases = (quick: boolean): PlannedThroughput[] => {
  const t = quick ? THROUGHPUT.quick : THROUGHPUT.full;
  const cases: ThroughputCase[] = [];
  for (const nodes of t.nodes)
    for (const policy of ['noop', 'mapek']) cases.push({ nodes, hours: 24, policy });
  cases.push({ nodes: 50, hours: 24, policy: 'oracle' });
  for (const nodes of t.shortFor)
    for (const policy of ['noop', 'mapek']) cases.push({ nodes, hours: 6, policy });
  return cases.map((c) => ({ case: c, repeats: repeatsFor(c.nodes) }));
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * Loads and checks every scenario file, then lays out the run: seeds per scenario (one for long scenarios
 * with `quick`), the learning curves and the throughput cases. Files that do not load are returned as errors
 * and nothing runs.
 */
export const planBench = (options: BenchOptions): { plan: BenchPlan } | { errors: LoadError[] } => {
  const errors: LoadError[] = [];
  const scenarios: PlannedScenario[] = [];
  for (const file of options.scenarioFiles) {
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) {
      errors.push(loaded.error);
      continue;
    }
    const s = loaded.value.scenario;
    const long = s.durationMs > LONG_SCENARIO_MS;
    scenarios.push({
      file,
      name: s.name,
      durationMs: s.durationMs,
      singleFault: s.world.faults.timeline.length === 1 && s.world.faults.random.length === 0,
      seeds: range(options.quick && long ? 1 : options.seeds),
    });
  }
  const learning = options.learning
    ? LEARNING_SCENARIOS.map((file) => ({
        file: relative(process.cwd(), file),
        ...(options.quick ? LEARNING.quick : LEARNING.full),
      }))
    : [];
  for (const l of learning) {
    const loaded = loadScenarioFile(l.file);
    if (!loaded.ok) errors.push(loaded.error);
  }
  if (errors.length > 0) return { errors };
  return {
    plan: {
      scenarios,
      policies: options.policies,
      learning,
      throughput: options.throughput ? throughputCases(options.quick) : [],
      commands: options.throughput ? commandCases(options.quick) : [],
      workers: options.workers,
      quick: options.quick,
    },
  };
};
