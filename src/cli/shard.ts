import { InvalidArgumentError } from 'commander';

/** One of `count` equal parts of a command's work: `--shard 2/3` is `{ index: 2, count: 3 }`. */
export interface Shard {
  /** From 1 to `count`. */
  readonly index: number;
  readonly count: number;
}

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

/** `2/3`, as the flag was written. */
export const shardText = (shard: Shard): string => `${shard.index}/${shard.count}`;

/**
 * Whether the job at `position` (0-based, in the order one unsharded command takes its jobs) is this
 * shard's: every `count`th job, from the `index`th. Round robin, so neighbouring jobs (often of similar
 * cost) spread over every shard, and the split depends on nothing but the list.
 */
export const inShard = (shard: Shard | undefined, position: number): boolean =>
  shard === undefined || position % shard.count === shard.index - 1;
