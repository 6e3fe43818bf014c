import { describe, expect, it } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import { traceOf, worldWithLoop } from '../support/mapek.ts';

const CRASH = { faults: [{ at: '15s', kind: 'node-crash', target: 'node-1' }] };

describe('the max cycle time is enforced while the cycle runs', () => {
  it('a hung analysis phase is cut off with CycleTimeout at the deadline, not when it would have answered', () => {
    const config = MapekConfig.create().withPhaseTimes({ analyzeTimeMs: 120_000 });
    const { loop, world } = worldWithLoop(CRASH, config, { keepTrace: true });

    const cycles = loop.runContinuous(200_000);

    const all = cycles.ok ? cycles.value : [];
    const cut = all.find((c) => c.error !== undefined);
    expect(cut?.error).toMatchObject({ kind: 'CycleTimeout', field: 'analyze' });
    expect(cut?.totalTimeMs).toBe(60_000);
    expect(cut?.analysisTimeMs).toBe(60_000 - (cut?.detectionTimeMs ?? 0));
    expect(cut?.recoveredSuccessfully).toBe(false);
    const next = all.find((c) => c.cycle === (cut?.cycle ?? 0) + 1);
    expect(next?.startedAtMs).toBe((cut?.startedAtMs ?? 0) + 60_000);
    expect(loop.summary().cycleTimeouts).toBeGreaterThanOrEqual(1);
    // The hung phase's late answer never reaches the loop.
    const replies = traceOf(world.trace.recordedLines, 'mapek.event').filter(
      (e) => e.event === 'analyze.done' && e.cycle === cut?.cycle,
    );
    expect(replies).toEqual([]);
  });

  it('runCycle returns the CycleTimeout as a typed error when the monitor phase hangs', () => {
    const config = MapekConfig.create().withPhaseTimes({ monitorTimeMs: 90_000 });
    const { loop, world } = worldWithLoop({}, config);

    const result = loop.runCycle();

    expect(!result.ok && result.error).toMatchObject({ kind: 'CycleTimeout', field: 'monitor' });
    expect(world.kernel.nowMs).toBe(60_000);
    expect(loop.lastCycle?.detectionTimeMs).toBe(60_000);
  });

  it('cycles that fit in the max cycle time are never cut off', () => {
    const { loop } = worldWithLoop(CRASH);

    loop.runContinuous(200_000);

    expect(loop.summary().cycleTimeouts).toBe(0);
  });
});
