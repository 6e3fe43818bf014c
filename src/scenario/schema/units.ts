import { z } from 'zod';
import { parseDuration } from '../../base/duration.ts';

/*
 * JSON Schema patterns for what the transforms below read, so an editor flags `10 m`, `99.9` and `120%` as
 * `mapek validate` does. They live in the schema's metadata only: validation keeps the transforms' messages,
 * which say how to fix the value. `patternErrorMessage` is the message VS Code's YAML and JSON support show.
 */
const DURATION_PART = '\\d+(\\.\\d+)?(ms|s|m|h|d)';
/** `0`, or parts such as `250ms`, `30s`, `1h30m`, with no space inside (what `parseDuration` reads). */
export const DURATION_PATTERN = `^\\s*(0|(${DURATION_PART})+)\\s*$`;
/** A duration that is not zero: `0`, and every part zero (`0s`, `0.0m`), are refused too. */
export const POSITIVE_DURATION_PATTERN = `^(?!\\s*(0|(0+(\\.0+)?(ms|s|m|h|d))+)\\s*$)${DURATION_PATTERN.slice(1)}`;
/** A percentage from 0% to 100%, as `fractionField` reads it. */
export const PERCENT_PATTERN = '^\\s*0*(100(\\.0+)?|\\d{1,2}(\\.\\d+)?)\\s*%\\s*$';
/** `one`, `count:N` with N >= 1, or `percent:P` with 0 < P <= 100 (the `%` optional). */
export const BLAST_RADIUS_PATTERN =
  '^(one|count:0*[1-9]\\d*|percent:0*(100(\\.0+)?|[1-9]\\d?(\\.\\d+)?|0\\.\\d*[1-9]\\d*)%?)$';

const DURATION_HINT = 'a duration with a unit and no space, such as 250ms, 30s, 5m or 1h30m';

/** A duration field whose strings an editor checks against `pattern`. */
const durationOf = (what: string, pattern: string, hint: string) =>
  z
    .union([z.string().meta({ pattern, patternErrorMessage: hint }), z.literal(0)])
    .describe(`${what}: a duration with a unit, such as 250ms, 30s, 5m or 1h30m`)
    .transform((input, ctx) => {
      const r = parseDuration(String(input));
      if (r.ok) return r.value;
      ctx.addIssue({ code: 'custom', message: r.error.message });
      return z.NEVER;
    });

/** A duration written with a unit (`250ms`, `30s`, `5m`, `1h30m`), read as milliseconds. */
export const durationField = (what: string) => durationOf(what, DURATION_PATTERN, DURATION_HINT);

/** A strictly positive duration. */
export const positiveDuration = (what: string) =>
  durationOf(what, POSITIVE_DURATION_PATTERN, `${DURATION_HINT}, longer than 0`)
    .refine((ms) => ms > 0, { message: 'must be longer than 0' })
    // The literal 0 stays in the union so that `mapek validate` says "must be longer than 0" for it.
    .meta({ not: { const: 0 } });

/**
 * A fraction written as a percentage (`99.9%`) or as a number in [0, 1]. A bare number above 1 is refused
 * with a hint: `99.9` almost always means `99.9%`.
 */
export const fractionField = (what: string) =>
  z
    .union([
      z.number().meta({ minimum: 0, maximum: 1 }),
      z.string().meta({
        pattern: PERCENT_PATTERN,
        patternErrorMessage: 'a percentage from 0% to 100%, such as 99.9%',
      }),
    ])
    .describe(`${what}: a percentage such as 99.9% or a fraction between 0 and 1`)
    .transform((input, ctx) => {
      let value: number;
      if (typeof input === 'number') {
        if (input > 1) {
          ctx.addIssue({
            code: 'custom',
            message: `${input} is above 1: write ${input}% for a percentage`,
          });
          return z.NEVER;
        }
        value = input;
      } else {
        const m = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/.exec(input);
        if (m === null) {
          ctx.addIssue({
            code: 'custom',
            message: `"${input}" is not a percentage such as 99.9% (or a fraction between 0 and 1)`,
          });
          return z.NEVER;
        }
        // `99.9e-2` parses to the double nearest 0.999; `99.9 / 100` would give 0.9990000000000001.
        value = Number(`${m[1]}e-2`);
      }
      if (!(value >= 0 && value <= 1)) {
        ctx.addIssue({ code: 'custom', message: `must be between 0% and 100%; got ${String(input)}` });
        return z.NEVER;
      }
      return value;
    });

/** A positive whole number. */
export const countField = (what: string) => z.number().int().min(1).describe(what);

/** A finite number > 0. */
export const positiveNumber = (what: string) => z.number().positive().finite().describe(what);

/**
 * Refinement option: run a cross-field check only when the fields parsed cleanly. Zod runs refinements
 * after non-aborting issues too, and a check reading a field that failed would see `undefined` and crash.
 */
export const whenValid = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };
