import { describe, expect, it } from 'vitest';
import { POLICY_NAMES } from '../../src/controllers/controller-spec.ts';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

/**
 * The bundled overload: a 90 s spike to 1.5x capacity. The oracle used to shed the excess for the whole spike,
 * every shed request a lost one, and took the spike's 90 s where the loop, scaling out, took 45.8 s (bench:
 * 0.5x). It now scales out too, at once, and sheds only until the new replicas are in rotation.
 */
describe('overload-queueing: the oracle is the bound', () => {
  const loaded = loadScenarioFile('scenarios/overload-queueing.yaml');
  if (!loaded.ok) throw new Error(loaded.error.message);
  const scenario = loaded.value.scenario;
  const mttr = (policy: (typeof POLICY_NAMES)[number], seed: number) => {
    const r = runScenario(scenario, { policy, seed });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.outcome.measures[0]?.mttrMs ?? Number.POSITIVE_INFINITY;
  };

  it.each([1, 2, 3])('seed %i: the oracle recovers the spike no later than any other policy', (seed) => {
    const oracle = mttr('oracle', seed);
    const others = POLICY_NAMES.filter((p) => p !== 'oracle').map((p) => mttr(p, seed));

    expect(oracle).toBeLessThan(30_000);
    for (const other of others) expect(other).toBeGreaterThanOrEqual(oracle);
  });
});
