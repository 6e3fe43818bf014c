import { InvalidArgumentError } from 'commander';
import type { Shard } from '../base/shard.ts';
import type { PolicyName } from '../controllers/controller-spec.ts';

/** Seeds per scenario by default: 30 give a p95 that moves by a step at most between two runs of the matrix. */
export const DEFAULT_SEEDS = 30;
/** Seeds per scenario with `--quick`. */
export const QUICK_SEEDS = 3;

/** Where `bench` writes its report by default. */
export const DEFAULT_OUT = 'bench/results';

/** The options of `mapek bench`, as commander hands them over. */
export interface BenchFlags {
  readonly seeds?: number;
  readonly scenarios?: string[];
  readonly policies?: PolicyName[];
  readonly out: string;
  readonly quick?: boolean;
  readonly workers?: number;
  readonly learning: boolean;
  readonly throughput: boolean;
  readonly check?: boolean;
  readonly html?: string;
  /** False with `--no-cost-limit`. */
  readonly costLimit?: boolean;
  readonly shard?: Shard;
}

/** A parser of a whole number of `what` from 1 to `max`. */
export const positive = (what: string, max: number) => (text: string) => {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new InvalidArgumentError(`expected a whole number of ${what} from 1 to ${max}; got "${text}"`);
  }
  return n;
};
