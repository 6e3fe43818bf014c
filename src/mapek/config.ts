import { err, ok, type Result } from '../base/result.ts';
import { type MapekError, mapekError } from './errors.ts';
import {
  inRange,
  MAPEK_SETTING_ORDER,
  type MAPEK_SETTINGS,
  type MapekConfigValues,
  rangeText,
  type SettingName,
  settingRows,
} from './settings.ts';

export type { MapekConfigValues } from './settings.ts';

type Settings = typeof MAPEK_SETTINGS;

/** Rows whose `builder` sets one value, keyed by that builder's name. */
type ValueBuilders = {
  readonly [K in SettingName as Settings[K] extends { readonly builder: infer B extends string }
    ? B
    : never]: (value: MapekConfigValues[K]) => MapekConfig;
};

type GroupName = {
  [K in SettingName]: Settings[K] extends { readonly group: infer G extends string } ? G : never;
}[SettingName];
type GroupMembers<G extends GroupName> = {
  [K in SettingName]: Settings[K] extends { readonly group: G } ? K : never;
}[SettingName];

/** Rows sharing a `group` builder, which takes any of them in a partial object (only those given change). */
type GroupBuilders = {
  readonly [G in GroupName]: (values: Partial<Pick<MapekConfigValues, GroupMembers<G>>>) => MapekConfig;
};

/** The `with*` builders, derived from the settings table. */
export type MapekConfigBuilders = ValueBuilders & GroupBuilders;

const DEFAULTS = Object.freeze(
  Object.fromEntries(settingRows().map(([name, row]) => [name, row.default])),
) as MapekConfigValues;

// The fields and the builders are declared from the settings table (this interface) and installed from it
// (the constructor, and the loop over the table below the class), so a new row needs no edit here.
export interface MapekConfig extends MapekConfigValues, MapekConfigBuilders {}

/**
 * Immutable MAPE-K configuration with `with*` builders (`withCycleInterval`, `withMaxCycleTime`,
 * `withMaxRecoveryTime`, `withKnowledgeUpdates`, `withPhaseTimes`, `withDetectors`, `withThresholds`,
 * `withVerifyDelay`, `withEscalateAfter`); `validate()` before use. Fields, defaults, ranges and builders
 * come from `MAPEK_SETTINGS`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: every merged member is installed from the table
export class MapekConfig {
  /** The seed's defaults, plus the loop's tuning. */
  static readonly DEFAULTS: MapekConfigValues = DEFAULTS;

  private constructor(values: MapekConfigValues) {
    for (const [name] of settingRows())
      Object.defineProperty(this, name, { value: values[name], enumerable: true });
    Object.freeze(this);
  }

  /** A configuration with the defaults, overridden by `values`. Not validated: call `validate()`. */
  static create(values: Partial<MapekConfigValues> = {}): MapekConfig {
    return new MapekConfig({ ...DEFAULTS, ...values });
  }

  /** A copy with `change` applied (the builders' common step). */
  with(change: Partial<MapekConfigValues>): MapekConfig {
    return new MapekConfig({ ...this.values(), ...change });
  }

  /** The plain values (the instance's own fields, which are exactly those of `MapekConfigValues`). */
  values(): MapekConfigValues {
    return { ...this };
  }

  /**
   * Rejects any setting outside its range in the table (a non-positive or non-finite interval, cycle or
   * recovery time, a negative phase time, a count below 1, a threshold out of bounds) and a max cycle time
   * below the cycle interval, as an `InvalidConfig` error naming the field.
   */
  validate(): Result<MapekConfig, MapekError> {
    const invalid = (field: SettingName, message: string) =>
      err(mapekError('InvalidConfig', `MapekConfig.${field} ${message}`, { field }));
    for (const [name, row] of settingRows()) {
      const value = this[name];
      if (typeof value === 'number' && !inRange(row, value)) {
        return invalid(name, `must be ${rangeText(row)}, got ${value}`);
      }
    }
    for (const { field, atLeast } of MAPEK_SETTING_ORDER) {
      const [value, floor] = [Number(this[field]), Number(this[atLeast])];
      if (value < floor) return invalid(field, `(${value} ms) must be at least ${atLeast} (${floor} ms)`);
    }
    return ok(this);
  }
}

const install = (name: string, builder: (this: MapekConfig, arg: never) => MapekConfig) =>
  Object.defineProperty(MapekConfig.prototype, name, { value: builder });

for (const [name, row] of settingRows()) {
  if (row.builder !== undefined) {
    install(row.builder, function (this: MapekConfig, value: MapekConfigValues[typeof name]) {
      return this.with({ [name]: value });
    });
  }
  if (row.group !== undefined && !Object.hasOwn(MapekConfig.prototype, row.group)) {
    const members = new Set(settingRows().flatMap(([n, r]) => (r.group === row.group ? [n] : [])));
    install(row.group, function (this: MapekConfig, values: Partial<MapekConfigValues>) {
      return this.with(
        Object.fromEntries(Object.entries(values).filter(([k]) => members.has(k as SettingName))),
      );
    });
  }
}
