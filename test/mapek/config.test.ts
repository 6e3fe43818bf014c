import { describe, expect, it } from 'vitest';
import { MapekConfig, type MapekConfigValues } from '../../src/mapek/config.ts';

describe('MapekConfig', () => {
  it('is created with the seed defaults: 10 s interval, 60 s max cycle, 300 s max recovery, learning on', () => {
    const config = MapekConfig.create();

    const valid = config.validate();

    expect(valid.ok).toBe(true);
    expect(config.cycleIntervalMs).toBe(10_000);
    expect(config.maxCycleTimeMs).toBe(60_000);
    expect(config.maxRecoveryTimeMs).toBe(300_000);
    expect(config.enableKnowledgeUpdates).toBe(true);
  });

  it('rejects a zero cycle interval as InvalidConfig naming the field', () => {
    const result = MapekConfig.create().withCycleInterval(0).validate();

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: 'InvalidConfig', field: 'cycleIntervalMs' });
  });

  it('rejects a max cycle time below the cycle interval', () => {
    const result = MapekConfig.create().withCycleInterval(30_000).withMaxCycleTime(20_000).validate();

    expect(!result.ok && result.error).toMatchObject({ kind: 'InvalidConfig', field: 'maxCycleTimeMs' });
  });

  it('rejects non-finite and negative values and tuning out of range', () => {
    const bad: [MapekConfig, keyof MapekConfigValues][] = [
      [MapekConfig.create().withMaxRecoveryTime(Number.POSITIVE_INFINITY), 'maxRecoveryTimeMs'],
      [MapekConfig.create().withCycleInterval(Number.NaN), 'cycleIntervalMs'],
      [MapekConfig.create().withPhaseTimes({ analyzeTimeMs: -1 }), 'analyzeTimeMs'],
      [MapekConfig.create().withDetectors({ missedHeartbeats: 0 }), 'missedHeartbeats'],
      [MapekConfig.create().withThresholds({ errorRateThreshold: 1.5 }), 'errorRateThreshold'],
      [MapekConfig.create().withThresholds({ latencyThreshold: 1 }), 'latencyThreshold'],
    ];

    const fields = bad.map(([config]) => {
      const r = config.validate();
      return r.ok ? 'accepted' : r.error.field;
    });

    expect(fields).toEqual(bad.map(([, field]) => field));
  });

  it('sets every field through its builder and leaves the original untouched', () => {
    const base = MapekConfig.create();

    const built = base
      .withCycleInterval(5_000)
      .withMaxCycleTime(20_000)
      .withMaxRecoveryTime(120_000)
      .withKnowledgeUpdates(false)
      .withPhaseTimes({
        monitorTimeMs: 1,
        analyzeTimeMs: 2,
        planTimeMs: 3,
        executeTimeMs: 4,
        phaseItemTimeMs: 6,
      })
      .withDetectors({ missedHeartbeats: 5, phiThreshold: 12 })
      .withThresholds({ errorRateThreshold: 0.1, latencyThreshold: 3 })
      .withVerifyDelay(7_000)
      .withEscalateAfter(4);

    const expected: MapekConfigValues = {
      cycleIntervalMs: 5_000,
      maxCycleTimeMs: 20_000,
      maxRecoveryTimeMs: 120_000,
      enableKnowledgeUpdates: false,
      monitorTimeMs: 1,
      analyzeTimeMs: 2,
      planTimeMs: 3,
      executeTimeMs: 4,
      phaseItemTimeMs: 6,
      missedHeartbeats: 5,
      phiThreshold: 12,
      errorRateThreshold: 0.1,
      latencyThreshold: 3,
      verifyDelayMs: 7_000,
      escalateAfterFailures: 4,
    };
    expect(built.values()).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(Object.keys(MapekConfig.DEFAULTS).sort());
    expect(base.values()).toEqual(MapekConfig.DEFAULTS);
    expect(Object.isFrozen(built)).toBe(true);
  });
});
