import { z } from 'zod';
import { formatDuration } from '../../base/duration.ts';
import {
  type ControllerSpec,
  type ModulePolicyPath,
  POLICY_NAMES,
  type PolicyName,
} from '../../controllers/controller-spec.ts';
import {
  inRange,
  MAPEK_SETTING_ORDER,
  MAPEK_SETTINGS,
  type MapekConfigValues,
  rangeText,
  type SettingName,
  type SettingRow,
  settingRows,
} from '../../mapek/settings.ts';
import { kubernetesSchema } from './kubernetes.ts';
import { countField, durationField, fractionField, positiveDuration } from './units.ts';

/**
 * The row's bounds as a refinement, unless the field helper already enforces exactly them (a duration is
 * never negative, `positiveDuration` is above 0, a count is a whole number of at least 1): one message each.
 */
const withinRange = <T extends z.ZodType<number>>(row: SettingRow, field: T, helperRange: string) =>
  rangeText(row) === helperRange
    ? field
    : field.refine((x) => inRange(row, x), { message: `must be ${rangeText(row)}` });

/** A plain number with the row's bounds as zod checks, so `mapek schema` shows them. */
const boundedNumber = (row: SettingRow): z.ZodNumber => {
  const r = row.range;
  let n = z.number().finite();
  if (r === undefined) return n;
  n = r.minExclusive === true ? n.gt(r.min) : n.gte(r.min);
  if (r.max !== undefined) n = r.maxExclusive === true ? n.lt(r.max) : n.lte(r.max);
  return n;
};

/** A share's bounds in the percentages files write: "must be above 0% and below 100%". */
const percentRangeText = (row: SettingRow): string => {
  const r = row.range ?? { min: 0, max: 1 };
  const low = `${r.minExclusive === true ? 'above' : 'at least'} ${r.min * 100}%`;
  const high = `${r.maxExclusive === true ? 'below' : 'at most'} ${(r.max ?? 1) * 100}%`;
  return `must be ${low} and ${high}`;
};

/** The zod field of one setting, from its unit, range and default (durations as files write them). */
const FIELD_OF: Readonly<Record<SettingRow['unit'], (row: SettingRow, what: string) => z.ZodType>> = {
  duration: (row, what) =>
    (row.range?.minExclusive === true && row.range.min === 0
      ? withinRange(row, positiveDuration(what), 'a finite time above 0 ms')
      : withinRange(row, durationField(what), 'a finite time of 0 ms or more')
    ).prefault(formatDuration(Number(row.default))),
  count: (row, what) =>
    withinRange(row, countField(what), 'a whole number of at least 1').default(Number(row.default)),
  number: (row, what) => boundedNumber(row).default(Number(row.default)).describe(what),
  factor: (row, what) => boundedNumber(row).default(Number(row.default)).describe(what),
  fraction: (row, what) =>
    fractionField(what)
      .refine((x) => inRange(row, x), { message: percentRangeText(row) })
      .prefault(`${Number(row.default) * 100}%`),
  boolean: (row, what) => z.boolean().default(Boolean(row.default)).describe(what),
};

const settingFields = Object.fromEntries(
  settingRows().map(([, row]) => [row.file, FIELD_OF[row.unit](row, `MAPE-K: ${row.description}`)]),
);

const fileKey = (name: SettingName): string => MAPEK_SETTINGS[name].file;

/**
 * The `controller` block of a scenario: which policy, and the MAPE-K loop's settings, every one of them
 * (its file key, default, range and description) derived from `MAPEK_SETTINGS`.
 */
export const controllerSchema = z
  .strictObject({
    policy: z.enum(POLICY_NAMES).optional().describe('the controller driving the cluster (default mapek)'),
    module: z
      .string()
      .regex(/\.m?js$/, { message: 'must be the path of a .js or .mjs file (compile TypeScript first)' })
      .optional()
      .describe('a user controller module (.js or .mjs), relative to the scenario file; replaces policy'),
    strategies: z
      .string()
      .min(1)
      .optional()
      .describe('MAPE-K: a strategy catalog file (YAML or JSON), relative to the scenario file'),
    ...settingFields,
    kubernetes: kubernetesSchema.optional(),
  })
  .prefault({})
  .superRefine((c, ctx) => {
    if (c.policy !== undefined && c.module !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['module'], message: 'give either policy or module, not both' });
    }
    const block: Record<string, unknown> = c;
    for (const { field, atLeast } of MAPEK_SETTING_ORDER) {
      if (Number(block[fileKey(field)]) < Number(block[fileKey(atLeast)])) {
        ctx.addIssue({
          code: 'custom',
          path: [fileKey(field)],
          message: `${fileKey(field)} must be at least ${fileKey(atLeast)}`,
        });
      }
    }
  })
  .transform((c): ControllerSpec => {
    const block: Record<string, unknown> = c;
    const mapek = Object.fromEntries(settingRows().map(([name, row]) => [name, block[row.file]]));
    const policy: PolicyName =
      c.module === undefined ? (c.policy ?? 'mapek') : (c.module as ModulePolicyPath);
    return {
      policy,
      ...(c.kubernetes === undefined ? {} : { kubernetes: c.kubernetes }),
      mapek: mapek as unknown as MapekConfigValues,
      ...(c.strategies === undefined ? {} : { strategies: { file: c.strategies } }),
    };
  });
