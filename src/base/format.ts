import { formatDuration } from './duration.ts';

/** A sim-time span as people write it (`41s`, `2m30s`, `250ms`), or `-` when there is none. */
export const formatMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '-' : formatDuration(Math.round(ms));

/**
 * A ratio in [0, 1] as a percentage with enough digits to tell 99.9 % from 99.95 %: two decimals, three
 * above 99 % (where availability lives).
 */
export const formatPercent = (ratio: number | null | undefined): string => {
  if (ratio === null || ratio === undefined) return '-';
  const pct = ratio * 100;
  const digits = pct >= 99 && pct < 100 ? 3 : 2;
  return `${Number(pct.toFixed(digits))}%`;
};

/** Wall-clock seconds for the console, e.g. `0.42s`. */
export const formatWallSeconds = (wallMs: number): string => `${(wallMs / 1000).toFixed(2)}s`;
