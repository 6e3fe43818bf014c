import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServiceRuntime } from '../../src/cluster/runtime/records.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { World } from '../../src/world/world.ts';

const FILE = 'scenarios/metastable-retry-storm.yaml';
const SPIKE_END_MS = 180_000;
const END_MS = 900_000;

/** An operator's hand on the world at some instant (shedding, a budget, restarts). */
type Intervention = (world: World, api: ServiceRuntime) => void;

/** Share of api's users' requests answered in time from `fromMs` to the end, on ground truth, with no controller. */
const goodputAfter = (
  text: string,
  seed: number,
  fromMs: number,
  interventions: readonly (readonly [number, Intervention])[] = [],
): number => {
  const loaded = loadScenarioText(text, FILE);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const built = World.create(loaded.value.scenario.world, { seed });
  if (!built.ok) throw new Error(built.error.message);
  const world = built.value;
  const api = world.cluster.service('api');
  if (api === undefined) throw new Error('no api');
  for (const [atMs, act] of interventions) {
    world.runUntil(atMs);
    act(world, api);
  }
  world.runUntil(fromMs);
  world.cluster.fold(api);
  const offered = api.offeredTotal;
  const goodput = api.goodputTotal;
  world.runUntil(END_MS);
  world.cluster.fold(api);
  return (api.goodputTotal - goodput) / (api.offeredTotal - offered);
};

describe('the metastable retry storm, on ground truth', () => {
  const text = readFileSync(FILE, 'utf8');

  it.each([1, 2, 3])(
    'seed %i: goodput stays near zero for the 12 minutes after the spike has ended (the sustaining effect)',
    (seed) => {
      expect(goodputAfter(text, seed, SPIKE_END_MS)).toBeLessThan(0.01);
    },
  );

  it('restarting every replica at once does not end it: the retries in flight refill the fresh queues', () => {
    const restartAll: Intervention = (world, api) => {
      for (const r of [...api.replicas]) world.cluster.replicas.restart(r, 8_000);
    };

    expect(goodputAfter(text, 1, 300_000, [[240_000, restartAll]])).toBeLessThan(0.01);
  });

  it('shedding enough load for 30 s, then none, ends it for good: the hysteresis runs the other way', () => {
    const shed =
      (f: number): Intervention =>
      (world, api) =>
        world.cluster.traffic.setShed(api, f);

    // Half is not enough: 600 users' requests still make 1,800 attempts for 1,600 rps. 70 % is: 1,080.
    expect(
      goodputAfter(text, 1, 300_000, [
        [240_000, shed(0.5)],
        [270_000, shed(0)],
      ]),
    ).toBeLessThan(0.01);
    // Shed at 4m, restore at 4m30s: from 5m on, every request is answered in time.
    expect(
      goodputAfter(text, 1, 300_000, [
        [240_000, shed(0.7)],
        [270_000, shed(0)],
      ]),
    ).toBeGreaterThan(0.999);
  });

  it('a retry budget set by an operator ends it too, and it stays ended once the budget is lifted', () => {
    const budget =
      (b: { ratio: number; minRetriesPerSecond: number } | null): Intervention =>
      (world, api) =>
        world.cluster.setRetryBudget(api, b);

    const after = goodputAfter(text, 1, 300_000, [
      [240_000, budget({ ratio: 0.2, minRetriesPerSecond: 10 })],
      [270_000, budget(null)],
    ]);

    expect(after).toBeGreaterThan(0.999);
  });

  it('the same spike with one attempt per request recovers by itself: the retries sustain the storm', () => {
    const oneAttempt = text.replace('retries: 3', 'retries: 1');

    // From one minute after the spike: the queues have drained under the timeout by then.
    expect(goodputAfter(oneAttempt, 1, SPIKE_END_MS + 60_000)).toBeGreaterThan(0.999);
  });

  it('the same spike with the default retry budget recovers too: the budget bounds the amplification', () => {
    const budgeted = text.replace('retries: 3', 'retries: 3\n    retryBudget: {}');

    expect(goodputAfter(budgeted, 1, SPIKE_END_MS + 60_000)).toBeGreaterThan(0.999);
  });
});
