import { z } from 'zod';
import { parseDuration } from '../../base/duration.ts';

/** A duration written with a unit (`250ms`, `30s`, `5m`, `1h30m`), read as milliseconds. */
export const durationField = (what: string) =>
  z
    .union([z.string(), z.literal(0)])
    .describe(`${what}: a duration with a unit, such as 250ms, 30s, 5m or 1h30m`)
    .transform((input, ctx) => {
      const r = parseDuration(String(input));
      if (r.ok) return r.value;
      ctx.addIssue({ code: 'custom', message: r.error.message });
      return z.NEVER;
    });

/** A strictly positive duration. */
export const positiveDuration = (what: string) =>
  durationField(what).refine((ms) => ms > 0, { message: 'must be longer than 0' });

/**
 * A fraction written as a percentage (`99.9%`) or as a number in [0, 1]. A bare number above 1 is refused
 * with a hint: `99.9` almost always means `99.9%`.
 */
export const fractionField = (what: string) =>
  z
    .union([z.number(), z.string()])
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
