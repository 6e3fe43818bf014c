import { InvalidArgumentError } from 'commander';
import type { Shard } from '../base/shard.ts';

/** The most shards one command may be split into. */
export const MAX_SHARDS = 10_000;

/** Reads `--shard i/n` (1 <= i <= n). */
export const parseShard = (text: string): Shard => {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !Number.isSafeInteger(index) || !Number.isSafeInteger(count)) {
    throw new InvalidArgumentError(`expected i/n, such as 2/3 (the second of three shards); got "${text}"`);
  }
  if (count < 1 || count > MAX_SHARDS)
    throw new InvalidArgumentError(`expected from 1 to ${MAX_SHARDS} shards; got ${count}`);
  if (index < 1 || index > count)
    throw new InvalidArgumentError(`the shard number must be from 1 to ${count}; got ${index}`);
  return { index, count };
};
