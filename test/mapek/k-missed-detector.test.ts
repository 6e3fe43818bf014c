import { describe, expect, it } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import { worldWithLoop } from '../support/mapek.ts';

/**
 * The monitor suspects a node when either detector says so: k heartbeats missed, or phi past its threshold.
 * With the default k = 3 and phi threshold 8, phi (floored deviation: a fifth of the interval) crosses 8
 * before three intervals have passed, so the k-missed half is decisive only when phi is tuned up. Here it
 * is tuned out of reach (phi 1e12 needs a silence of hours), so the k-missed count alone decides.
 */

const CRASH_MS = 60_000;
const INTERVAL_MS = 1_000;
const CYCLE_MS = 1_000;

/** When the loop first reports node-1 as crashed, with k = `missed` and phi out of play. */
const crashDetectedAt = (missed: number): number => {
  const config = MapekConfig.create({
    cycleIntervalMs: CYCLE_MS,
    maxCycleTimeMs: 60_000,
    missedHeartbeats: missed,
    phiThreshold: 1e12,
  });
  const { world, loop } = worldWithLoop(
    { faults: [{ at: `${CRASH_MS / 1_000}s`, kind: 'node-crash', target: 'node-1' }] },
    config,
  );

  loop.runContinuous(CRASH_MS + 20_000);

  const d = world.detections.find((x) => x.component === 'node-1' && x.diagnosis === 'NodeCrash');
  if (d === undefined) throw new Error(`node-1's crash was never detected with k = ${missed}`);
  return d.atMs;
};

describe('the k-missed-heartbeats detector', () => {
  it('alone decides a crash once k intervals of silence have passed', () => {
    const k5 = crashDetectedAt(5);
    const k8 = crashDetectedAt(8);

    expect(k5).toBeGreaterThanOrEqual(CRASH_MS + 5 * INTERVAL_MS);
    expect(k5).toBeLessThanOrEqual(CRASH_MS + 6 * INTERVAL_MS + CYCLE_MS);
    // Each extra heartbeat missed is one more interval of waiting.
    expect(k8 - k5).toBe(3 * INTERVAL_MS);
  });
});
