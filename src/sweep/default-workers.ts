import { availableParallelism } from 'node:os';

/**
 * The workers a command uses when `--workers` is not given: one per core the process may use. Apart from
 * the pool, so the CLI can print it in `--help` without loading the pool's code.
 */
export const defaultWorkers = (): number => availableParallelism();
