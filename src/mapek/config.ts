import { err, ok, type Result } from '../result.ts';
import type { Millis } from '../sim/duration.ts';
import { type MapekError, mapekError } from './errors.ts';

/** The MAPE-K loop's settings, all times in simulated milliseconds. */
export interface MapekConfigValues {
  /** Time from the start of one cycle to the start of the next. Default 10 s. */
  readonly cycleIntervalMs: Millis;
  /** A cycle still running after this long is cut off with CycleTimeout. Default 60 s. */
  readonly maxCycleTimeMs: Millis;
  /** A recovery not verified within this long counts as failed. Default 300 s. */
  readonly maxRecoveryTimeMs: Millis;
  /** When false, knowledge is frozen: outcomes are not learned from. Default true. */
  readonly enableKnowledgeUpdates: boolean;
}

/** Immutable MAPE-K configuration with `with*` builders; `validate()` before use. */
export class MapekConfig implements MapekConfigValues {
  /** The seed's defaults. */
  static readonly DEFAULTS: MapekConfigValues = {
    cycleIntervalMs: 10_000,
    maxCycleTimeMs: 60_000,
    maxRecoveryTimeMs: 300_000,
    enableKnowledgeUpdates: true,
  };

  readonly cycleIntervalMs: Millis;
  readonly maxCycleTimeMs: Millis;
  readonly maxRecoveryTimeMs: Millis;
  readonly enableKnowledgeUpdates: boolean;

  private constructor(values: MapekConfigValues) {
    this.cycleIntervalMs = values.cycleIntervalMs;
    this.maxCycleTimeMs = values.maxCycleTimeMs;
    this.maxRecoveryTimeMs = values.maxRecoveryTimeMs;
    this.enableKnowledgeUpdates = values.enableKnowledgeUpdates;
    Object.freeze(this);
  }

  /** A configuration with the defaults, overridden by `values`. Not validated: call `validate()`. */
  static create(values: Partial<MapekConfigValues> = {}): MapekConfig {
    return new MapekConfig({ ...MapekConfig.DEFAULTS, ...values });
  }

  private with(change: Partial<MapekConfigValues>): MapekConfig {
    return new MapekConfig({ ...this.values(), ...change });
  }

  withCycleInterval(ms: Millis): MapekConfig {
    return this.with({ cycleIntervalMs: ms });
  }

  withMaxCycleTime(ms: Millis): MapekConfig {
    return this.with({ maxCycleTimeMs: ms });
  }

  withMaxRecoveryTime(ms: Millis): MapekConfig {
    return this.with({ maxRecoveryTimeMs: ms });
  }

  withKnowledgeUpdates(enabled: boolean): MapekConfig {
    return this.with({ enableKnowledgeUpdates: enabled });
  }

  /** The plain values. */
  values(): MapekConfigValues {
    return {
      cycleIntervalMs: this.cycleIntervalMs,
      maxCycleTimeMs: this.maxCycleTimeMs,
      maxRecoveryTimeMs: this.maxRecoveryTimeMs,
      enableKnowledgeUpdates: this.enableKnowledgeUpdates,
    };
  }

  /** Rejects a non-positive or non-finite time, and a max cycle time below the cycle interval. */
  validate(): Result<MapekConfig, MapekError> {
    const times = [
      ['cycleIntervalMs', this.cycleIntervalMs],
      ['maxCycleTimeMs', this.maxCycleTimeMs],
      ['maxRecoveryTimeMs', this.maxRecoveryTimeMs],
    ] as const;
    for (const [field, value] of times) {
      if (!Number.isFinite(value) || value <= 0) {
        return err(
          mapekError('InvalidConfig', `MapekConfig.${field} must be a finite time above 0 ms, got ${value}`, {
            field,
          }),
        );
      }
    }
    if (this.maxCycleTimeMs < this.cycleIntervalMs) {
      return err(
        mapekError(
          'InvalidConfig',
          `MapekConfig.maxCycleTimeMs (${this.maxCycleTimeMs} ms) must be at least cycleIntervalMs (${this.cycleIntervalMs} ms)`,
          { field: 'maxCycleTimeMs' },
        ),
      );
    }
    return ok(this);
  }
}
