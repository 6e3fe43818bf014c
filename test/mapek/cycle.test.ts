import { describe, expect, it, vi } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import { MapekLoop } from '../../src/mapek/mapek-loop.ts';
import { Monitor } from '../../src/mapek/monitor.ts';
import type { MapekCycleResult } from '../../src/mapek/types.ts';
import { worldWithLoop } from '../support/mapek.ts';
import { buildWorld } from '../support/world.ts';

const CRASH = { faults: [{ at: '35s', kind: 'node-crash', target: 'node-1' }] };

/** The fields every cycle result has, in order. */
const RESULT_KEYS = [
  'cycle',
  'startedAtMs',
  'detectionTimeMs',
  'analysisTimeMs',
  'planningTimeMs',
  'executionTimeMs',
  'totalTimeMs',
  'recoveredSuccessfully',
  'maxDegradationPercent',
  'failuresHandled',
  'plans',
].join(' ');

const phaseSum = (c: MapekCycleResult) =>
  c.detectionTimeMs + c.analysisTimeMs + c.planningTimeMs + c.executionTimeMs;

describe('MAPE-K cycles', () => {
  it('a single cycle completes, in sim time, with the monitor phase it was configured with', () => {
    const { loop, world } = worldWithLoop({});

    const result = loop.runCycle();

    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toMatchObject({ cycle: 1, startedAtMs: 0, detectionTimeMs: 200 });
    expect(world.kernel.nowMs).toBe(200);
  });

  it('results keep the field order they have always had, the optional fields last', () => {
    const { loop } = worldWithLoop(CRASH);

    const cycles = loop.runContinuous(120_000);

    const all = cycles.ok ? cycles.value : [];
    const orders = new Set(all.map((c) => Object.keys(c).join(' ')));
    expect([...orders].sort()).toEqual([
      `${RESULT_KEYS} state`,
      `${RESULT_KEYS} state analysis`,
      `${RESULT_KEYS} state analysis execution`,
    ]);
    const states = new Set(all.map((c) => Object.keys(c.state ?? {}).join(' ')));
    const stateKeys = 'observedAtMs scrapedAtMs metrics services suspectedNodes';
    expect([...states].sort()).toEqual([stateKeys, `${stateKeys} topology`]);
  });

  it('phase timings are non-negative and add up to the total, in quiet and busy cycles alike', () => {
    const { loop } = worldWithLoop(CRASH);

    const cycles = loop.runContinuous(120_000);

    expect(cycles.ok).toBe(true);
    const all = cycles.ok ? cycles.value : [];
    const busy = all.filter((c) => c.planningTimeMs > 0 && c.executionTimeMs > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const c of all) {
      for (const t of [c.detectionTimeMs, c.analysisTimeMs, c.planningTimeMs, c.executionTimeMs]) {
        expect(t).toBeGreaterThanOrEqual(0);
      }
      expect(phaseSum(c)).toBe(c.totalTimeMs);
    }
  });

  it('runs duration / interval cycles when run continuously on a healthy cluster', () => {
    const { loop } = worldWithLoop(
      {},
      MapekConfig.create().withCycleInterval(15_000).withMaxCycleTime(15_000),
    );

    const cycles = loop.runContinuous(300_000);

    expect(cycles.ok && cycles.value.length).toBe(20);
    expect(cycles.ok && cycles.value.map((c) => c.startedAtMs).slice(0, 3)).toEqual([0, 15_000, 30_000]);
  });

  it('reports in a cycle the failures it handled', () => {
    const { loop } = worldWithLoop(CRASH);

    const cycles = loop.runContinuous(120_000);

    const handled = (cycles.ok ? cycles.value : []).flatMap((c) => c.failuresHandled);
    expect(handled.map((f) => [f.type, f.component])).toContainEqual(['NodeCrash', 'node-1']);
    const acting = (cycles.ok ? cycles.value : []).find((c) => c.plans.length > 0);
    expect(acting?.failuresHandled.map((f) => f.key)).toEqual(acting?.plans.map((p) => p.failure.key));
    expect(acting?.execution?.dispatched).toBeGreaterThan(0);
  });

  it('a healthy cluster cycle recovers with nothing to do', () => {
    const { loop, world } = worldWithLoop({});
    world.runUntil(60_000);

    const result = loop.runCycle();

    expect(result.ok && result.value).toMatchObject({
      recoveredSuccessfully: true,
      failuresHandled: [],
      plans: [],
      analysisTimeMs: 0,
      planningTimeMs: 0,
      executionTimeMs: 0,
    });
    expect(world.outcome().actions).toEqual([]);
  });

  it('counts cycles and the longest phases in its controller summary', () => {
    const { loop } = worldWithLoop(CRASH);

    loop.runContinuous(120_000);

    expect(loop.summary()).toMatchObject({ cycles: 12, cycleTimeouts: 0 });
    expect(loop.summary().phaseMaxMs?.planning).toBeGreaterThan(0);
  });

  it('refuses a second controller on the same world and a run without a world, as typed errors', () => {
    const { world } = buildWorld({});
    MapekLoop.create(world);

    const second = MapekLoop.create(world);
    const detached = MapekLoop.controller(MapekConfig.create());

    expect(!second.ok && second.error.kind).toBe('InvalidConfig');
    expect(detached.ok && detached.value.runContinuous(10_000)).toMatchObject({
      ok: false,
      error: { field: 'world' },
    });
  });

  it('stops: no cycle runs after stop()', () => {
    const { loop, world } = worldWithLoop({});
    world.runUntil(25_000);
    const before = loop.summary().cycles;

    loop.stop();
    world.runUntil(100_000);

    expect(before).toBe(3);
    expect(loop.summary().cycles).toBe(3);
  });

  it('a phase that throws ends its cycle with a typed error, and the next cycle runs', () => {
    const { loop } = worldWithLoop({});
    const spy = vi.spyOn(Monitor.prototype, 'sample').mockImplementationOnce(() => {
      throw new Error('sensor bus down');
    });

    const failed = loop.runCycle();
    const next = loop.runCycle();
    spy.mockRestore();

    expect(!failed.ok && failed.error).toMatchObject({ kind: 'MonitorFailed', field: 'monitor' });
    expect(!failed.ok && failed.error.message).toContain('sensor bus down');
    expect(next.ok && next.value.cycle).toBe(2);
  });
});
