import { formatDuration } from './duration.ts';

/** What a formatter prints for NaN or Infinity: never the words themselves (issue 12). */
export const NOT_A_NUMBER = 'n/a';

/** A number for people, `n/a` when it is not finite. */
export const formatNumber = (v: number): string => (Number.isFinite(v) ? String(v) : NOT_A_NUMBER);

/** A sim-time span as people write it (`41s`, `2m30s`, `250ms`), or `-` when there is none. */
export const formatMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '-' : Number.isFinite(ms) ? formatDuration(Math.round(ms)) : NOT_A_NUMBER;

/**
 * A ratio in [0, 1] as a percentage with enough digits to tell 99.9 % from 99.95 %: two decimals, three
 * above 99 % (where availability lives).
 */
export const formatPercent = (ratio: number | null | undefined): string => {
  if (ratio === null || ratio === undefined) return '-';
  if (!Number.isFinite(ratio)) return NOT_A_NUMBER;
  const pct = ratio * 100;
  const digits = pct >= 99 && pct < 100 ? 3 : 2;
  return `${Number(pct.toFixed(digits))}%`;
};

/** Wall-clock seconds for the console, e.g. `0.42s`. */
export const formatWallSeconds = (wallMs: number): string =>
  Number.isFinite(wallMs) ? `${(wallMs / 1000).toFixed(2)}s` : NOT_A_NUMBER;

/** `1 run`, `3 runs`: a count and its noun, with an s unless the count is one. */
export const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
