/**
 * Coverage marks (after TigerBeetle's testing/marks.zig): production code bumps a named counter at a rare
 * branch, and the test that means to reach the branch asserts that it did. A test that only checks an outcome
 * can go on passing after a change routes it around the branch it was written for; a mark says which way it
 * went. A mark is a plain counter increment: nothing is recorded, traced or allocated, and no simulation
 * result depends on it (counters never feed back into a run, so determinism is untouched).
 */

/** Every mark, with the branch it stands for: adding a mark is adding a row. */
export const MARKS = {
  'promotion.abandoned-on-lease':
    'a promotion gave up at completion: the old primary was cut off while it ran and still holds its lease',
  'promotion.switchover':
    'a promotion away from a live, reachable async primary paused its writes for a planned switchover',
  'analysis.deferred-for-cloud-api':
    'a silent node was neither crashed nor cut off yet: the diagnosis waits for the lagging cloud API',
} as const;

/** The name of a mark. */
export type MarkName = keyof typeof MARKS;

const hits: Record<MarkName, number> = {
  'promotion.abandoned-on-lease': 0,
  'promotion.switchover': 0,
  'analysis.deferred-for-cloud-api': 0,
};

/** Records that the branch `name` stands for was taken. */
export const mark = (name: MarkName): void => {
  hits[name]++;
};

/** A watch on one mark from now on: `hit()` says whether its branch was taken since. */
export interface MarkCheck {
  readonly name: MarkName;
  /** Times the branch was taken since the check started. */
  count(): number;
  hit(): boolean;
}

/** Starts watching `name`: take it before the code under test runs, ask `hit()` after. */
export const checkMark = (name: MarkName): MarkCheck => {
  const from = hits[name];
  return { name, count: () => hits[name] - from, hit: () => hits[name] > from };
};
