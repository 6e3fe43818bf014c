/**
 * The MAPE-K loop's settings, defined once. `MapekConfig` (its fields, defaults, `with*` builders and
 * `validate()`) and the scenario file's `controller` block (field names, defaults, ranges and descriptions
 * in `mapek schema`) are both derived from this table: a new setting is one new row.
 */

/** How a setting is written and checked: a sim-time span, a whole number, a plain number, a share, a flag. */
export type SettingUnit = 'duration' | 'count' | 'number' | 'factor' | 'fraction' | 'boolean';

/** The values a numeric setting accepts: bounds are inclusive unless marked exclusive. */
export interface SettingRange {
  readonly min: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
}

/** One row of the table. */
export interface SettingRow {
  /** The key in a scenario file's `controller` block (`cycleInterval`); the table's key is the API's. */
  readonly file: string;
  readonly unit: SettingUnit;
  readonly default: number | boolean;
  /** Numeric settings only. */
  readonly range?: SettingRange;
  /** What it does, as a user reads it in `mapek schema` and the docs. */
  readonly description: string;
  /** The builder setting this one value (`withCycleInterval(ms)`)... */
  readonly builder?: string;
  /** ...or the builder setting a group of them from a partial object (`withPhaseTimes({ ... })`). */
  readonly group?: string;
}

const phaseTime = (what: string, ms: number) =>
  ({
    unit: 'duration',
    default: ms,
    range: { min: 0 },
    description: `sim time ${what}`,
    group: 'withPhaseTimes',
  }) as const;

/**
 * Every setting, in the order the docs and the schema list them. Times are in simulated milliseconds
 * (the API's keys end in `Ms`; files write durations with a unit). Defaults are the seed's for the first four.
 */
export const MAPEK_SETTINGS = {
  cycleIntervalMs: {
    file: 'cycleInterval',
    unit: 'duration',
    default: 10_000,
    range: { min: 0, minExclusive: true },
    description: 'time between the starts of two cycles',
    builder: 'withCycleInterval',
  },
  maxCycleTimeMs: {
    file: 'maxCycleTime',
    unit: 'duration',
    default: 60_000,
    range: { min: 0, minExclusive: true },
    description: 'a cycle running longer is cut off',
    builder: 'withMaxCycleTime',
  },
  maxRecoveryTimeMs: {
    file: 'maxRecoveryTime',
    unit: 'duration',
    default: 300_000,
    range: { min: 0, minExclusive: true },
    description: 'a recovery not verified by then has failed',
    builder: 'withMaxRecoveryTime',
  },
  enableKnowledgeUpdates: {
    file: 'enableKnowledgeUpdates',
    unit: 'boolean',
    default: true,
    description: 'false freezes what it has learned',
    builder: 'withKnowledgeUpdates',
  },
  monitorTimeMs: { file: 'monitorTime', ...phaseTime('the monitor phase takes to sample every sensor', 200) },
  analyzeTimeMs: {
    file: 'analyzeTime',
    ...phaseTime('the analysis phase takes, before its per-symptom time', 50),
  },
  planTimeMs: { file: 'planTime', ...phaseTime('the planning phase takes, before its per-failure time', 50) },
  executeTimeMs: {
    file: 'executeTime',
    ...phaseTime('the execution phase takes, before its per-action time', 100),
  },
  phaseItemTimeMs: {
    file: 'phaseItemTime',
    ...phaseTime('each symptom analysed, failure planned or action dispatched adds to its phase', 5),
  },
  missedHeartbeats: {
    file: 'missedHeartbeats',
    unit: 'count',
    default: 3,
    range: { min: 1 },
    description: 'k of the k-missed-heartbeats failure detector',
    group: 'withDetectors',
  },
  phiThreshold: {
    file: 'phiThreshold',
    unit: 'number',
    // A false positive about once in 10^8 heartbeats.
    default: 8,
    range: { min: 0, minExclusive: true },
    description: 'suspicion level of the phi-accrual failure detector',
    group: 'withDetectors',
  },
  errorRateThreshold: {
    file: 'errorRateThreshold',
    unit: 'fraction',
    default: 0.05,
    range: { min: 0, minExclusive: true, max: 1, maxExclusive: true },
    description: 'a replica failing more than this share of requests is an outlier',
    group: 'withThresholds',
  },
  latencyThreshold: {
    file: 'latencyThreshold',
    unit: 'factor',
    default: 2,
    range: { min: 1, minExclusive: true },
    description: 'a replica this many times slower than its peers (or a service than its baseline) is slow',
    group: 'withThresholds',
  },
  verifyDelayMs: {
    file: 'verifyDelay',
    unit: 'duration',
    default: 15_000,
    range: { min: 0 },
    description: 'how long after its actions a recovery is verified, so the observations are fresh',
    builder: 'withVerifyDelay',
  },
  escalateAfterFailures: {
    file: 'escalateAfter',
    unit: 'count',
    default: 2,
    range: { min: 1 },
    description: 'failed recovery attempts for one failure before escalating',
    builder: 'withEscalateAfter',
  },
} as const satisfies Readonly<Record<string, SettingRow>>;

type Settings = typeof MAPEK_SETTINGS;

/** The name of a setting, as the API spells it (`cycleIntervalMs`). */
export type SettingName = keyof Settings;

/** A setting's value type: a boolean for flags, a number for everything else. */
type ValueOf<K extends SettingName> = Settings[K]['unit'] extends 'boolean' ? boolean : number;

/** The MAPE-K loop's settings as plain values, all times in simulated milliseconds (see `MAPEK_SETTINGS`). */
export type MapekConfigValues = { readonly [K in SettingName]: ValueOf<K> };

/** Settings that must not fall below another: a cycle cannot be cut off before its successor starts. */
export const MAPEK_SETTING_ORDER: readonly { readonly field: SettingName; readonly atLeast: SettingName }[] =
  [{ field: 'maxCycleTimeMs', atLeast: 'cycleIntervalMs' }];

/** Every setting's name and row, in table order. */
export const settingRows = (): readonly (readonly [SettingName, SettingRow])[] =>
  Object.entries(MAPEK_SETTINGS) as [SettingName, SettingRow][];

/** `true` when `value` is inside the row's range (and whole, for a count). */
export const inRange = (row: SettingRow, value: number): boolean => {
  const r = row.range;
  if (!Number.isFinite(value)) return false;
  if (row.unit === 'count' && !Number.isInteger(value)) return false;
  if (r === undefined) return true;
  if (r.minExclusive === true ? value <= r.min : value < r.min) return false;
  if (r.max !== undefined && (r.maxExclusive === true ? value >= r.max : value > r.max)) return false;
  return true;
};

const NOUN: Readonly<Record<SettingUnit, string>> = {
  duration: 'a finite time',
  count: 'a whole number',
  number: 'a finite number',
  factor: 'a finite factor',
  fraction: 'a fraction',
  boolean: 'true or false',
};

/** The range in words, as `validate()` reports it: "a finite time above 0 ms", "a whole number of at least 1". */
export const rangeText = (row: SettingRow): string => {
  const r = row.range;
  const noun = NOUN[row.unit];
  if (r === undefined) return noun;
  const ms = row.unit === 'duration' ? ' ms' : '';
  if (r.max !== undefined) return `${noun} between ${r.min} and ${r.max}`;
  if (r.minExclusive === true) return `${noun} above ${r.min}${ms}`;
  if (row.unit === 'count') return `${noun} of at least ${r.min}`;
  return `${noun} of ${r.min}${ms} or more`;
};
