import { err, ok, type Result } from './result.ts';

/** Simulated time span or instant, in whole milliseconds. */
export type Millis = number;

/** Why a duration could not be read. */
export interface DurationError {
  readonly kind: 'invalid-duration';
  readonly input: string;
  readonly reason: 'empty' | 'negative' | 'syntax' | 'sub-millisecond' | 'too-large';
  readonly message: string;
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
/** A century: anything longer is a typo, and would lose integer precision in sums. */
const MAX_MS = 100 * 365 * UNIT_MS.d;

const fail = (
  input: string,
  reason: DurationError['reason'],
  detail: string,
): Result<Millis, DurationError> =>
  err({ kind: 'invalid-duration', input, reason, message: `invalid duration "${input}": ${detail}` });

/**
 * Reads a duration such as `250ms`, `30s`, `5m`, `24h`, `2d` or a compound `1h30m`.
 * A bare number is refused: `30` could mean seconds or milliseconds, and guessing costs a user an afternoon.
 */
export const parseDuration = (input: string): Result<Millis, DurationError> => {
  const text = input.trim();
  if (text === '') return fail(input, 'empty', 'expected a number with a unit, such as 30s');
  if (text.startsWith('-')) return fail(input, 'negative', 'durations cannot be negative');
  if (text === '0') return ok(0);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const m = PART.exec(text);
    if (m === null) {
      const hint = /^\d+(\.\d+)?$/.test(text) ? ' (add a unit: ms, s, m, h or d)' : '';
      return fail(
        input,
        'syntax',
        `cannot read "${text.slice(at)}"${hint}; expected forms like 250ms, 30s, 5m, 1h30m`,
      );
    }
    total += Number(m[1]) * UNIT_MS[m[2] as Unit];
  }
  if (total > MAX_MS) return fail(input, 'too-large', 'longer than a hundred years');
  const rounded = Math.round(total);
  if (Math.abs(rounded - total) > 1e-9)
    return fail(input, 'sub-millisecond', 'the finest unit of simulated time is 1ms');
  return ok(rounded);
};

/** Formats milliseconds the way a person writes them: `1h30m`, `2.5s`, `250ms`. */
export const formatDuration = (ms: Millis): string => {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(ms % 1_000 === 0 ? 0 : ms < 10_000 ? 2 : 1))}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
};
