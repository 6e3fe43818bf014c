import { describe, expect, it } from 'vitest';
import type { POLICY_NAMES } from '../../src/controllers/controller-spec.ts';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

const loaded = loadScenarioFile('scenarios/quorum-lagging-replica.yaml');

/** The bundled scenario under `policy` at `seed`, with its trace. */
const run = (policy: (typeof POLICY_NAMES)[number], seed: number) => {
  if (!loaded.ok) throw new Error(loaded.error.message);
  const r = runScenario(loaded.value.scenario, { policy, seed, keepTrace: true, checkInvariants: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** The replicas promoted in a run, in order. */
const promoted = (lines: readonly string[]): string[] =>
  lines
    .map((l) => JSON.parse(l) as { kind: string; replica?: string })
    .filter((e) => e.kind === 'service.promoted')
    .map((e) => String(e.replica));

describe('quorum-lagging-replica: a failover under quorum while a replica is cut off and behind', () => {
  it.each([1, 2, 3])(
    'seed %i: the loop fails over to a majority-side replica, loses no write, meets every SLO',
    (seed) => {
      // Arrange: node-5 cut off from 1m to 9m (orders-5 behind), the primary's node-1 down from 3m.

      // Act
      const r = run('mapek', seed);

      // Assert
      expect(r.slos.filter((s) => !s.pass).map((s) => s.name)).toEqual([]);
      expect(promoted(r.traceLines)[0]).toMatch(/^orders-[234]$/);
      expect(r.outcome.lostWrites).toBe(0);
      expect(r.invariantViolations).toEqual([]);
    },
  );

  it('without a controller nobody fails over: writes stay down until node-1 reboots, and no write is lost', () => {
    // Act
    const r = run('noop', 1);

    // Assert
    expect(promoted(r.traceLines)).toEqual([]);
    expect(r.outcome.lostWrites).toBe(0);
    expect(r.slos.find((s) => s.name === 'recovery')?.pass).toBe(false);
  });
});
