import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { World } from '../../src/world/world.ts';

const FILE = 'scenarios/metastable-retry-storm.yaml';
const SPIKE_END_MS = 180_000;
const END_MS = 900_000;

/** Share of api's users' requests answered in time from `fromMs` to the end, on ground truth, with no controller. */
const goodputAfter = (text: string, seed: number, fromMs: number): number => {
  const loaded = loadScenarioText(text, FILE);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const built = World.create(loaded.value.scenario.world, { seed });
  if (!built.ok) throw new Error(built.error.message);
  const world = built.value;
  const api = world.cluster.service('api');
  if (api === undefined) throw new Error('no api');
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
