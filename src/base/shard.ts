/** One of `count` equal parts of a command's work: `--shard 2/3` is `{ index: 2, count: 3 }`. */
export interface Shard {
  /** From 1 to `count`. */
  readonly index: number;
  readonly count: number;
}

/** `2/3`, as the flag was written. */
export const shardText = (shard: Shard): string => `${shard.index}/${shard.count}`;

/**
 * Whether the job at `position` (0-based, in the order one unsharded command takes its jobs) is this
 * shard's: every `count`th job, from the `index`th. Round robin, so neighbouring jobs (often of similar
 * cost) spread over every shard, and the split depends on nothing but the list.
 */
export const inShard = (shard: Shard | undefined, position: number): boolean =>
  shard === undefined || position % shard.count === shard.index - 1;

/** How many of `total` jobs are this shard's (all of them without a shard). */
export const shardSize = (total: number, shard: Shard | undefined): number =>
  shard === undefined ? total : total < shard.index ? 0 : Math.floor((total - shard.index) / shard.count) + 1;
