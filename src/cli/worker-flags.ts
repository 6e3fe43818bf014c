import { InvalidArgumentError, Option } from 'commander';
import { defaultWorkers } from '../sweep/default-workers.ts';

/** The most workers one command may ask for. */
export const MAX_WORKERS = 256;

/** Reads `--workers N`: a whole number from 1 to {@link MAX_WORKERS}. */
export const parseWorkers = (text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new InvalidArgumentError(
      `expected a whole number of workers from 1 to ${MAX_WORKERS}; got "${text}"`,
    );
  }
  return n;
};

/** `--workers N`, the same on every command that runs many worlds. */
export const workersOption = (what: string): Option =>
  new Option(
    '--workers <n>',
    `worker threads for ${what} (default: one per available core, here ${defaultWorkers()}; 1 runs everything in this process); results are identical whatever the number`,
  ).argParser(parseWorkers);

/** Whether a sweep of `jobs` independent jobs can use a pool of `workers`: never one job, or one worker. */
export const poolCanHelp = (workers: number, jobs: number): boolean => workers > 1 && jobs > 1;
