import type { Millis } from '../base/duration.ts';
import { err, ok, type Result } from '../base/result.ts';
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
  /** Sim time the monitor phase takes to sample every sensor. Default 200 ms. */
  readonly monitorTimeMs: Millis;
  /** Base sim time of the analysis phase. Default 50 ms. */
  readonly analyzeTimeMs: Millis;
  /** Base sim time of the planning phase. Default 50 ms. */
  readonly planTimeMs: Millis;
  /** Base sim time of the execution phase (dispatching actions, verifying recoveries). Default 100 ms. */
  readonly executeTimeMs: Millis;
  /** Extra sim time per item a phase handles: a symptom analysed, a failure planned, an action dispatched. Default 5 ms. */
  readonly phaseItemTimeMs: Millis;
  /** k of the k-missed-heartbeats detector. Default 3. */
  readonly missedHeartbeats: number;
  /** Suspicion level of the phi-accrual detector. Default 8 (a false positive about once in 10^8). */
  readonly phiThreshold: number;
  /** A replica failing more than this share of its requests is an outlier. Default 5 %. */
  readonly errorRateThreshold: number;
  /** A replica slower than this many times its peers' median (or a service than its baseline) is slow. Default 2. */
  readonly latencyThreshold: number;
  /** Actions must have completed this long before a recovery is verified, so observations are fresh. Default 15 s. */
  readonly verifyDelayMs: Millis;
  /** Failed recovery attempts for one failure before the planner escalates. Default 2. */
  readonly escalateAfterFailures: number;
}

/** Immutable MAPE-K configuration with `with*` builders; `validate()` before use. */
export class MapekConfig implements MapekConfigValues {
  /** The seed's defaults, plus the loop's tuning. */
  static readonly DEFAULTS: MapekConfigValues = {
    cycleIntervalMs: 10_000,
    maxCycleTimeMs: 60_000,
    maxRecoveryTimeMs: 300_000,
    enableKnowledgeUpdates: true,
    monitorTimeMs: 200,
    analyzeTimeMs: 50,
    planTimeMs: 50,
    executeTimeMs: 100,
    phaseItemTimeMs: 5,
    missedHeartbeats: 3,
    phiThreshold: 8,
    errorRateThreshold: 0.05,
    latencyThreshold: 2,
    verifyDelayMs: 15_000,
    escalateAfterFailures: 2,
  };

  readonly cycleIntervalMs: Millis;
  readonly maxCycleTimeMs: Millis;
  readonly maxRecoveryTimeMs: Millis;
  readonly enableKnowledgeUpdates: boolean;
  readonly monitorTimeMs: Millis;
  readonly analyzeTimeMs: Millis;
  readonly planTimeMs: Millis;
  readonly executeTimeMs: Millis;
  readonly phaseItemTimeMs: Millis;
  readonly missedHeartbeats: number;
  readonly phiThreshold: number;
  readonly errorRateThreshold: number;
  readonly latencyThreshold: number;
  readonly verifyDelayMs: Millis;
  readonly escalateAfterFailures: number;

  private constructor(values: MapekConfigValues) {
    this.cycleIntervalMs = values.cycleIntervalMs;
    this.maxCycleTimeMs = values.maxCycleTimeMs;
    this.maxRecoveryTimeMs = values.maxRecoveryTimeMs;
    this.enableKnowledgeUpdates = values.enableKnowledgeUpdates;
    this.monitorTimeMs = values.monitorTimeMs;
    this.analyzeTimeMs = values.analyzeTimeMs;
    this.planTimeMs = values.planTimeMs;
    this.executeTimeMs = values.executeTimeMs;
    this.phaseItemTimeMs = values.phaseItemTimeMs;
    this.missedHeartbeats = values.missedHeartbeats;
    this.phiThreshold = values.phiThreshold;
    this.errorRateThreshold = values.errorRateThreshold;
    this.latencyThreshold = values.latencyThreshold;
    this.verifyDelayMs = values.verifyDelayMs;
    this.escalateAfterFailures = values.escalateAfterFailures;
    Object.freeze(this);
  }

  /** A configuration with the defaults, overridden by `values`. Not validated: call `validate()`. */
  static create(values: Partial<MapekConfigValues> = {}): MapekConfig {
    return new MapekConfig({ ...MapekConfig.DEFAULTS, ...values });
  }

  private with(change: Partial<MapekConfigValues>): MapekConfig {
    return new MapekConfig({ ...this.values(), ...change });
  }

  /** A copy with another cycle interval. */
  withCycleInterval(ms: Millis): MapekConfig {
    return this.with({ cycleIntervalMs: ms });
  }

  /** A copy with another max cycle time. */
  withMaxCycleTime(ms: Millis): MapekConfig {
    return this.with({ maxCycleTimeMs: ms });
  }

  /** A copy with another max recovery time. */
  withMaxRecoveryTime(ms: Millis): MapekConfig {
    return this.with({ maxRecoveryTimeMs: ms });
  }

  /** A copy with knowledge updates switched on or off. */
  withKnowledgeUpdates(enabled: boolean): MapekConfig {
    return this.with({ enableKnowledgeUpdates: enabled });
  }

  /** A copy with other phase times (only the phases given change). */
  withPhaseTimes(
    times: Partial<
      Pick<
        MapekConfigValues,
        'monitorTimeMs' | 'analyzeTimeMs' | 'planTimeMs' | 'executeTimeMs' | 'phaseItemTimeMs'
      >
    >,
  ): MapekConfig {
    return this.with(times);
  }

  /** A copy with other failure detector settings. */
  withDetectors(
    detectors: Partial<Pick<MapekConfigValues, 'missedHeartbeats' | 'phiThreshold'>>,
  ): MapekConfig {
    return this.with(detectors);
  }

  /** A copy with other symptom thresholds. */
  withThresholds(
    thresholds: Partial<Pick<MapekConfigValues, 'errorRateThreshold' | 'latencyThreshold'>>,
  ): MapekConfig {
    return this.with(thresholds);
  }

  /** A copy with another verification delay. */
  withVerifyDelay(ms: Millis): MapekConfig {
    return this.with({ verifyDelayMs: ms });
  }

  /** A copy escalating after another number of failed attempts. */
  withEscalateAfter(failures: number): MapekConfig {
    return this.with({ escalateAfterFailures: failures });
  }

  /** The plain values (the instance's own fields, which are exactly those of `MapekConfigValues`). */
  values(): MapekConfigValues {
    return { ...this };
  }

  /**
   * Rejects a non-positive or non-finite interval, cycle or recovery time, a max cycle time below the cycle
   * interval, a negative phase time, and tuning values outside their range.
   */
  validate(): Result<MapekConfig, MapekError> {
    const invalid = (field: keyof MapekConfigValues, message: string) =>
      err(mapekError('InvalidConfig', `MapekConfig.${field} ${message}`, { field }));
    for (const [field, value] of [
      ['cycleIntervalMs', this.cycleIntervalMs],
      ['maxCycleTimeMs', this.maxCycleTimeMs],
      ['maxRecoveryTimeMs', this.maxRecoveryTimeMs],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0) {
        return invalid(field, `must be a finite time above 0 ms, got ${value}`);
      }
    }
    if (this.maxCycleTimeMs < this.cycleIntervalMs) {
      return invalid(
        'maxCycleTimeMs',
        `(${this.maxCycleTimeMs} ms) must be at least cycleIntervalMs (${this.cycleIntervalMs} ms)`,
      );
    }
    for (const field of PHASE_TIME_FIELDS) {
      const value = this[field];
      if (!Number.isFinite(value) || value < 0) {
        return invalid(field, `must be a finite time of 0 ms or more, got ${value}`);
      }
    }
    for (const [field, min] of [
      ['missedHeartbeats', 1],
      ['escalateAfterFailures', 1],
    ] as const) {
      const value = this[field];
      if (!Number.isInteger(value) || value < min) {
        return invalid(field, `must be a whole number of at least ${min}, got ${value}`);
      }
    }
    if (!Number.isFinite(this.phiThreshold) || this.phiThreshold <= 0) {
      return invalid('phiThreshold', `must be a finite number above 0, got ${this.phiThreshold}`);
    }
    if (!(this.errorRateThreshold > 0 && this.errorRateThreshold < 1)) {
      return invalid(
        'errorRateThreshold',
        `must be a fraction between 0 and 1, got ${this.errorRateThreshold}`,
      );
    }
    if (!Number.isFinite(this.latencyThreshold) || this.latencyThreshold <= 1) {
      return invalid('latencyThreshold', `must be a finite factor above 1, got ${this.latencyThreshold}`);
    }
    return ok(this);
  }
}

const PHASE_TIME_FIELDS = [
  'monitorTimeMs',
  'analyzeTimeMs',
  'planTimeMs',
  'executeTimeMs',
  'phaseItemTimeMs',
  'verifyDelayMs',
] as const;
