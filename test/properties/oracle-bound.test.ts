import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { POLICY_NAMES } from '../../src/controllers/controller-spec.ts';
import { arbitraries, runCase } from '../../src/testing/index.ts';
import { type ScenarioInput, withFaults } from '../../src/testing/scenario-input.ts';
import { fixture, propertyParams, propertyTimeout } from './support.ts';

// Random schedules of up to three faults with effector failures off (fixtures/oracle-bound.yaml). Faults are
// paired across policies by id: ids follow injection order and chaos draws from its own seeded stream, so
// f1 under the oracle is f1 under noop, provided the targets do not depend on what the policy did. Targets
// by role do (`replica-of:api` resolves when the fault lands, after the oracle's same-ms moves), so the
// schedules name their nodes only; the test checks the pairing (kind, time, nodes) before comparing.
const base = fixture('oracle-bound.yaml');
const { input } = base;
const budget = { ...base.budget, statefulServices: [], replicatedServices: [] };
const RUNS = 4;
const SEED = 1;

/** A fault's MTTR, never-recovered as infinity so that it loses to any finite time. */
const mttrsOf = (scenario: ScenarioInput, policy: (typeof POLICY_NAMES)[number]) => {
  const r = runCase(scenario, { policy, seed: SEED });
  return r.outcome.measures.map((m, i) => ({
    fault: `${m.id} ${r.outcome.faults[i]?.kind}@${r.outcome.faults[i]?.injectedAtMs} on ${r.outcome.faults[i]?.targets.join(',')}`,
    mttrMs: m.mttrMs ?? Number.POSITIVE_INFINITY,
  }));
};

/** Every fault the oracle recovers later than `policy` does, as readable lines (none when it is the bound). */
const beatenBy = (scenario: ScenarioInput, policy: (typeof POLICY_NAMES)[number]): string[] => {
  const oracle = mttrsOf(scenario, 'oracle');
  const other = mttrsOf(scenario, policy);
  expect(other.map((o) => o.fault)).toEqual(oracle.map((o) => o.fault));
  return oracle.flatMap((o, i) => {
    const theirs = other[i]?.mttrMs ?? Number.POSITIVE_INFINITY;
    return o.mttrMs > theirs ? [`${policy} beat the oracle on ${o.fault}: ${o.mttrMs} > ${theirs}`] : [];
  });
};

// NOT YET A BOUND. The property finds counterexamples on every seed tried (1-4, within 4 runs), all of one
// class: a fault that clears by itself sooner than a replacement can start and join the rotation (8 s start
// plus up to two 2 s health checks) is better waited out than acted on, and the oracle acts at once on every
// fault whatever its duration. Fixing it needs the oracle to know the cluster's action timings and the load
// balancer's lag, which no controller is given today. So the property runs on demand
// (MAPEK_ORACLE_BOUND=1, with MAPEK_PROPERTY_RUNS / MAPEK_PROPERTY_SEED), and its shrunk seed-1
// counterexample runs in npm test as `it.fails`, so the day the oracle is fixed vitest says so.
describe.skipIf(process.env.MAPEK_ORACLE_BOUND === undefined)('the oracle is a bound (issue 11)', () => {
  test.prop(
    [arbitraries.scenarioWithFaults(input, { ...budget, minFaults: 1, maxFaults: 3 })],
    propertyParams(RUNS),
  )(
    'recovers every fault no later than any other policy, with effector failures off',
    (scenario) => {
      for (const policy of POLICY_NAMES.filter((p) => p !== 'oracle')) {
        expect(beatenBy(scenario, policy)).toEqual([]);
      }
    },
    propertyTimeout(RUNS, 10_000),
  );
});

describe('the oracle bound: known counterexamples, not yet fixed', () => {
  // Seed 1, shrunk. node-6 crashes for 10 s at 1m; the oracle moves search-6 onto node-5. node-5 is then cut
  // off for 10 s at 1m51s: the oracle moves its three replicas away (running at 1m59s, in rotation at 2m2.001s),
  // while restart-always leaves them, and they are back in rotation 515 ms after the network heals at 2m1s.
  // Oracle MTTR 11,001 ms against restart-always's 10,515 ms.
  // Under the queueing model (issue 13) this schedule no longer beats the oracle: the level is judged on
  // M/M/c latency and goodput, and restart-always's replicas come back to a level the oracle's moved ones reach
  // no later. It stays as a regression case of the bound; the class above may still hold for other schedules.
  it('a 10 s partition is waited out no faster than the oracle moves away from it (no longer a counterexample)', () => {
    const scenario = withFaults(input, [
      { at: '1m', kind: 'node-crash', target: 'node-6', duration: '10s' },
      { at: '1m51s', kind: 'network-partition', isolate: 'node-5', duration: '10s' },
    ]);

    expect(beatenBy(scenario, 'restart-always')).toEqual([]);
  });
});
