import { basename, extname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Shard } from '../base/shard.ts';
import { FAULT_KINDS, type FaultKind } from '../chaos/spec.ts';
import type { PolicyName } from '../controllers/controller-spec.ts';
import { didYouMean } from '../scenario/did-you-mean.ts';

/** The options of `mapek explore`, as commander hands them over. */
export interface ExploreFlags {
  readonly runs: number;
  readonly seed?: number;
  readonly path?: string;
  readonly out?: string;
  readonly policy?: PolicyName;
  readonly maxFaults?: number;
  readonly maxConcurrent?: number;
  readonly maxBlastRadius?: number;
  readonly kinds?: FaultKind[];
  readonly oneWayPartitions?: boolean;
  /** False with `--no-cost-limit`. */
  readonly costLimit?: boolean;
  readonly workers?: number;
  /** `--shard i/n`: judge only this part of the search's candidates, and write a shard file for `mapek merge`. */
  readonly shard?: Shard;
}

/** Most runs one search may ask for: a typo such as `--runs 10000000` should not run for days. */
export const MAX_EXPLORE_RUNS = 1_000_000;

/** The largest fast-check seed `explore` takes and prints (fast-check works on 32-bit seeds). */
export const MAX_FC_SEED = 2 ** 31 - 1;

const wholeNumber =
  (what: string, min: number, max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected ${what}, a whole number from ${min} to ${max}; got "${text}"`);
    }
    return n;
  };

/** `--runs N`: schedules to try. */
export const parseRuns = wholeNumber('a number of runs', 1, MAX_EXPLORE_RUNS);

/** `--seed S`: fast-check's seed. */
export const parseFcSeed = wholeNumber("fast-check's seed", 0, MAX_FC_SEED);

/** `--max-faults`, `--max-concurrent`, `--max-blast-radius`. */
export const parseCount = wholeNumber('a count', 1, 10_000);

/** `--path P`: a fast-check path, numbers separated by colons (`3:0:1`). */
export const parsePath = (text: string): string => {
  if (!/^\d+(:\d+)*$/.test(text)) {
    throw new InvalidArgumentError(
      `expected a fast-check path such as 3:0:1 (printed by explore); got "${text}"`,
    );
  }
  return text;
};

/** `--kinds a,b`: fault kinds of the catalog. */
export const parseKinds = (text: string): FaultKind[] => {
  const kinds: FaultKind[] = [];
  for (const raw of text.split(',')) {
    const k = raw.trim();
    const kind = FAULT_KINDS.find((x) => x === k);
    if (kind === undefined) {
      const hint = didYouMean(k, FAULT_KINDS);
      throw new InvalidArgumentError(
        `unknown fault kind "${k}": expected some of ${FAULT_KINDS.join(', ')}${hint === undefined ? '' : `; did you mean "${hint}"?`}`,
      );
    }
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
};

/** The flags that shape the search (budget, policy), to repeat in a replay command. */
export const searchFlags = (flags: ExploreFlags): string[] => [
  ...(flags.policy === undefined ? [] : ['--policy', flags.policy]),
  ...(flags.maxFaults === undefined ? [] : ['--max-faults', String(flags.maxFaults)]),
  ...(flags.maxConcurrent === undefined ? [] : ['--max-concurrent', String(flags.maxConcurrent)]),
  ...(flags.maxBlastRadius === undefined ? [] : ['--max-blast-radius', String(flags.maxBlastRadius)]),
  ...(flags.kinds === undefined ? [] : ['--kinds', flags.kinds.join(',')]),
  ...(flags.oneWayPartitions === true ? ['--one-way-partitions'] : []),
];

/** `scenarios/x.yaml` -> `x.counterexample.yaml`, in the current directory: where explore (and merge) write it. */
export const defaultCounterexampleOut = (file: string): string =>
  `${basename(file, extname(file))}.counterexample.yaml`;

/** Quotes a command-line word for a POSIX shell when it needs it. */
const shellWord = (w: string): string => (/^[\w./:@=,+-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`);

/** A `npx mapek ...` command line, each word quoted as a shell needs it. */
export const mapekCommand = (words: readonly string[]): string =>
  ['npx', 'mapek', ...words].map(shellWord).join(' ');
