import { formatAt } from './format-time.ts';

/** A linear map from a domain to a pixel range. */
export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
}

/** A linear scale; a zero-width domain maps to the range's start. */
export const linear = (d0: number, d1: number, r0: number, r1: number): Scale => {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = (v: number) => round1(r0 + (v - d0) * k);
  return Object.assign(f, { domain: [d0, d1] as const });
};

/** Coordinates with one decimal: enough at any zoom, and the file stays small. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

const TIME_STEPS = [
  1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5,
] as const;

/** Tick instants for a time axis over [0, end]: a round step giving at most `max` ticks. */
export const timeTicks = (endMs: number, max = 10): number[] => {
  const step = TIME_STEPS.find((s) => endMs / s <= max) ?? 864e5;
  const out: number[] = [];
  for (let t = 0; t <= endMs; t += step) out.push(t);
  return out;
};

/** A time tick's label: `m:ss` in a run under an hour, `h:mm` beyond. */
export const timeLabel = (ms: number, endMs: number): string => {
  if (endMs < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    return `${m}:${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}`;
  }
  return formatAt(ms).replace(/:\d\d\.\d$/, '');
};

/** Round value ticks over [lo, hi]: steps of 1, 2 or 5 times a power of ten, about `count` of them. */
export const valueTicks = (lo: number, hi: number, count = 4): number[] => {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
};

/**
 * A step line through (t[i], v[i]) held until `endMs`, as an SVG path. Rows that fall in one pixel column
 * collapse to that column's low, high and last value, so a day of changes draws as fast as a minute.
 */
export const stepPath = (
  t: readonly number[],
  v: readonly number[],
  x: Scale,
  y: Scale,
  endMs: number,
): string => {
  if (t.length === 0) return '';
  const parts: string[] = [];
  let col = Math.round(x(t[0] ?? 0));
  let lo = v[0] ?? 0;
  let hi = lo;
  let last = lo;
  parts.push(`M${x(t[0] ?? 0)} ${y(last)}`);
  const flush = () => {
    if (lo !== hi) parts.push(`V${y(lo)}V${y(hi)}`);
    parts.push(`V${y(last)}`);
  };
  for (let i = 1; i < t.length; i++) {
    const xi = x(t[i] ?? 0);
    const vi = v[i] ?? 0;
    if (Math.round(xi) === col) {
      lo = Math.min(lo, vi);
      hi = Math.max(hi, vi);
      last = vi;
      continue;
    }
    flush();
    parts.push(`H${xi}`);
    col = Math.round(xi);
    lo = Math.min(last, vi);
    hi = Math.max(last, vi);
    last = vi;
  }
  flush();
  parts.push(`H${x(endMs)}`);
  return parts.join('');
};
