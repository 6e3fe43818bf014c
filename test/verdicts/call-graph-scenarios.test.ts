import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PolicyName } from '../../src/controllers/controller-spec.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

/**
 * The call graph's bundled scenarios with the loop attached, on several seeds, judged on ground truth: the
 * failure is detected as the right type, the root cause named (the db's node in the shop, the api->cache
 * edge for the dependency failure, never the callers whose symptoms are their dependencies'), and the
 * service level restored within maxRecoveryTime.
 */
const run = (file: string, seed: number, policy: PolicyName = 'mapek') => {
  const loaded = loadScenarioText(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${file} did not load`);
  const r = runScenario(loaded.value.scenario, { seed, policy, keepTrace: true });
  if (!r.ok) throw new Error(r.error.message);
  const detected = r.value.traceLines
    .map((l) => JSON.parse(l) as { kind: string; component?: string; diagnosis?: string })
    .filter((e) => e.kind === 'detected');
  return { result: r.value, detected, measures: r.value.outcome.measures };
};

const MAX_RECOVERY_MS = 300_000;

describe('three-tier shop: a db node slowdown cascading into api and edge failures', () => {
  it.each([1, 2, 3])(
    'seed %i: the diagnosis names the db replica node, never edge or api; level restored',
    (seed) => {
      const { result, detected, measures } = run('scenarios/three-tier-shop.yaml', seed);
      const fault = result.outcome.faults[0];
      const dbNode = fault?.targets[0];

      expect(detected.map((d) => d.component)).toEqual([dbNode]);
      expect(detected[0]?.diagnosis).toBe('PerformanceDegradation');
      expect(fault?.components).toContain('db');
      expect(measures[0]?.mttrMs).not.toBeNull();
      expect(measures[0]?.mttrMs ?? Number.POSITIVE_INFINITY).toBeLessThan(MAX_RECOVERY_MS);
      expect(result.verdict).toBe('pass');
    },
  );

  it('without a controller (noop) the cascade lasts as long as the fault', () => {
    const { measures } = run('scenarios/three-tier-shop.yaml', 1, 'noop');

    expect(measures[0]?.mttrMs ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(360_000);
  });
});

describe('dependency failure: api->cache slowed on the way, both services healthy', () => {
  it.each([1, 2, 3])(
    'seed %i: detected as DependencyFailure on the edge; the circuit opened; level restored',
    (seed) => {
      const { result, detected, measures } = run('scenarios/dependency-failure.yaml', seed);

      expect(detected.map((d) => [d.component, d.diagnosis])).toEqual([['api->cache', 'DependencyFailure']]);
      expect(result.outcome.actions.map((a) => a.request.kind)).toContain('open-circuit');
      expect(measures[0]?.mttrMs ?? Number.POSITIVE_INFINITY).toBeLessThan(MAX_RECOVERY_MS);
      expect(result.verdict).toBe('pass');
    },
  );

  it('kubernetes has nothing for a call edge (its HPA adds an api pod for the busy workers, which cures nothing): the level returns only when the fault ends', () => {
    const { result, measures } = run('scenarios/dependency-failure.yaml', 1, 'kubernetes');

    expect(result.outcome.actions.map((a) => a.request.kind)).toEqual(['scale-out']);
    expect(measures[0]?.mttrMs ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(480_000);
  });
});

describe('the oracle on the call graph', () => {
  it('opens the circuit the instant a dependency failure lands where the call has a fallback, and closes it at its end', () => {
    const { result, measures } = run('scenarios/dependency-failure.yaml', 1, 'oracle');

    expect(result.outcome.actions.map((a) => [a.request.kind, a.startedAtMs])).toEqual([
      ['open-circuit', 120_000],
      ['close-circuit', 600_000],
    ]);
    expect(measures[0]?.mttrMs ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(1_000);
  });
});
