import { InvalidArgumentError } from 'commander';

/** The most seeds one `--seeds` sweep may ask for: a typo such as `1..10000000` should not run for days. */
export const MAX_SWEEP_SEEDS = 100_000;

const SEED = /^\d+$/;

/** Reads `--seed N`: a whole number from 0 to 2^53 - 1. */
export const parseSeed = (text: string): number => {
  const n = Number(text);
  if (!SEED.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a whole number from 0, such as 42; got "${text}"`);
  }
  return n;
};

/** Reads `--seeds A..B` (inclusive, A <= B) into the list of seeds. */
export const parseSeedRange = (text: string): number[] => {
  const m = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  const from = Number(m?.[1]);
  const to = Number(m?.[2]);
  if (m === null || !Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
    throw new InvalidArgumentError(`expected a range such as 1..100; got "${text}"`);
  }
  if (to < from)
    throw new InvalidArgumentError(`the range ${from}..${to} is empty: write the smaller seed first`);
  if (to - from + 1 > MAX_SWEEP_SEEDS) {
    throw new InvalidArgumentError(
      `the range holds ${to - from + 1} seeds; at most ${MAX_SWEEP_SEEDS} per sweep`,
    );
  }
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
};
