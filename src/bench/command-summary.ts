import type { CommandCase, CommandTiming } from './command-timing.ts';

/** The bundled 24 h scenario, as users run it (its own cycle and scrape intervals). */
export const BUNDLED_24H = 'scenarios/random-chaos-24h-50-nodes.yaml';

/** The explore benchmark's scenario: an SLO no schedule can miss, so a search runs every schedule asked for. */
export const EXPLORE_SCENARIO = 'bench/scenarios/explore-throughput.yaml';

/** The schedules `mapek explore` tries in the benchmark (issue 17's target is 1,000 of them), and its seed. */
export const EXPLORE_RUNS = { full: 1_000, quick: 200, seed: 2024, workers: 2 } as const;

/** A timed command over its repeats: the median run by wall time, every repeat's wall time, the worst memory. */
export interface CommandSummary extends CommandTiming {
  readonly repeats: number;
  readonly wallMsAll: readonly number[];
}

/** What the whole-command figures show: the loop's cost on the bundled scenario, and a sweep on 1 and 2 workers. */
export interface CommandFigures {
  readonly commands: readonly CommandSummary[];
  /** `run` of the bundled 24 h scenario with its loop against `--policy noop`, whole processes. */
  readonly scenarioLoop: {
    readonly loopMs: number;
    readonly noopMs: number;
    readonly loopCpuMs: number;
    readonly noopCpuMs: number;
    readonly ratio: number;
    readonly cpuRatio: number;
  } | null;
  /** `run --seeds` of the bundled 24 h scenario with 1 worker against 2. */
  readonly sweepWorkers: {
    readonly seeds: string;
    readonly oneMs: number;
    readonly twoMs: number;
    readonly speedup: number;
  } | null;
  /** `mapek explore` of the benchmark scenario on 2 workers, whole command (absent from older reports). */
  readonly explore?: {
    readonly runs: number;
    readonly workers: number;
    readonly wallMs: number;
    readonly exitCode: number;
  } | null;
}

/**
 * The commands `npm run bench` times: the bundled 24 h scenario with its loop and with no controller (one
 * seed, three times each), `--seeds 1..40` of it on 1 and on 2 workers (1..8 with `--quick`), once each, and
 * `explore` of 1,000 schedules on 2 workers (200 with `--quick`), once (it finds no counterexample to write:
 * the scenario's SLO cannot be missed).
 */
export const commandCases = (quick: boolean): { case: CommandCase; repeats: number }[] => {
  const seeds = quick ? '1..8' : '1..40';
  const repeats = quick ? 1 : 3;
  const runs = String(quick ? EXPLORE_RUNS.quick : EXPLORE_RUNS.full);
  return [
    {
      case: { id: 'scenario-loop', label: '24 h scenario, its MAPE-K loop', args: ['run', BUNDLED_24H] },
      repeats,
    },
    {
      case: {
        id: 'scenario-noop',
        label: '24 h scenario, no controller',
        args: ['run', BUNDLED_24H, '--policy', 'noop'],
      },
      repeats,
    },
    {
      case: {
        id: 'sweep-1',
        label: `--seeds ${seeds}, 1 worker`,
        args: ['run', BUNDLED_24H, '--seeds', seeds, '--workers', '1'],
      },
      repeats: 1,
    },
    {
      case: {
        id: 'sweep-2',
        label: `--seeds ${seeds}, 2 workers`,
        args: ['run', BUNDLED_24H, '--seeds', seeds, '--workers', '2'],
      },
      repeats: 1,
    },
    {
      case: {
        id: 'explore-2',
        label: `explore, ${runs} schedules, 2 workers`,
        args: [
          'explore',
          EXPLORE_SCENARIO,
          '--runs',
          runs,
          '--seed',
          String(EXPLORE_RUNS.seed),
          '--workers',
          String(EXPLORE_RUNS.workers),
        ],
      },
      repeats: 1,
    },
  ];
};

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Folds the repeats of one command into its summary (the median by wall time). */
export const summarizeCommand = (runs: readonly CommandTiming[]): CommandSummary => {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const median = sorted[(sorted.length - 1) >> 1];
  if (median === undefined) throw new Error('a timed command with no run');
  return {
    ...median,
    repeats: runs.length,
    wallMsAll: runs.map((r) => r.wallMs),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
  };
};

/** The figures the timed commands give. */
export const commandFigures = (commands: readonly CommandSummary[]): CommandFigures => {
  const by = (id: string) => commands.find((c) => c.id === id);
  const loop = by('scenario-loop');
  const noop = by('scenario-noop');
  const one = by('sweep-1');
  const two = by('sweep-2');
  const search = by('explore-2');
  return {
    commands,
    scenarioLoop:
      loop === undefined || noop === undefined
        ? null
        : {
            loopMs: loop.wallMs,
            noopMs: noop.wallMs,
            loopCpuMs: loop.cpuMs,
            noopCpuMs: noop.cpuMs,
            ratio: round(loop.wallMs / Math.max(1, noop.wallMs), 2),
            cpuRatio: round(loop.cpuMs / Math.max(1, noop.cpuMs), 2),
          },
    sweepWorkers:
      one === undefined || two === undefined
        ? null
        : {
            seeds: one.args[one.args.indexOf('--seeds') + 1] ?? '',
            oneMs: one.wallMs,
            twoMs: two.wallMs,
            speedup: round(one.wallMs / Math.max(1, two.wallMs), 2),
          },
    explore:
      search === undefined
        ? null
        : {
            runs: Number(search.args[search.args.indexOf('--runs') + 1]),
            workers: Number(search.args[search.args.indexOf('--workers') + 1]),
            wallMs: search.wallMs,
            exitCode: search.exitCode,
          },
  };
};
