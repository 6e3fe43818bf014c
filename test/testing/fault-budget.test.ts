import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { budgetFromScenario, describeBudget } from '../../src/testing/fault-budget.ts';

const scenarioOf = (faults: string) => {
  const text = `
name: budget
duration: 10m
cluster:
  nodes: { count: 5 }
  services:
    - { name: api, replicas: 5, capacityRps: 100 }
    - { name: db, replicas: 1, capacityRps: 100, stateful: { replication: sync } }
faults: ${faults}
`;
  const loaded = loadScenarioText(text, 'budget.yaml');
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value.scenario;
};

const TWO_CRASHES = `
  - random:
      meanInterval: 2m
      kinds: { node-crash: 1, network-partition: 1, resource-exhaustion: 0 }
      maxConcurrent: 2
      duration: { min: 30s, max: 2m }`;

describe('a fault budget taken from a scenario', () => {
  it('follows its random block: kinds weighed above 0, window, Poisson count, concurrency, durations', () => {
    const scenario = scenarioOf(TWO_CRASHES);

    const budget = budgetFromScenario(scenario);

    // 10 minutes at one fault per 2 minutes: mean 5, plus two deviations (2 x 2.24), rounded up.
    expect(budget).toEqual({
      ok: true,
      value: {
        nodes: ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'],
        statefulServices: ['db'],
        replicatedServices: ['api'],
        kinds: ['node-crash', 'network-partition'],
        fromMs: 0,
        untilMs: 600_000,
        maxFaults: 10,
        maxConcurrent: 2,
        maxBlastRadius: 1,
        minDurationMs: 30_000,
        maxDurationMs: 120_000,
        resources: ['cpu', 'memory', 'disk'],
        crashRebootMs: 45_000,
      },
    });
  });

  it('takes an exponential distribution from 1 s to three means, and a blast radius as a node count', () => {
    const scenario = scenarioOf(`
  - random: { from: 1m, until: 5m, meanInterval: 1m, kinds: { node-crash: 1 }, blastRadius: percent:40, duration: { mean: 20s } }`);

    const budget = budgetFromScenario(scenario);

    expect(budget.ok && budget.value).toMatchObject({
      fromMs: 60_000,
      untilMs: 300_000,
      maxFaults: 8,
      maxBlastRadius: 2,
      minDurationMs: 1_000,
      maxDurationMs: 60_000,
    });
  });

  it('lets overrides win', () => {
    const scenario = scenarioOf(TWO_CRASHES);

    const budget = budgetFromScenario(scenario, { maxFaults: 3, maxConcurrent: 1, kinds: ['node-crash'] });

    expect(budget.ok && budget.value).toMatchObject({
      maxFaults: 3,
      maxConcurrent: 1,
      kinds: ['node-crash'],
    });
  });

  it('is a typed error without a random block or --max-faults', () => {
    const scenario = scenarioOf('[]');

    const budget = budgetFromScenario(scenario);

    expect(budget).toMatchObject({ ok: false, error: { kind: 'no-fault-budget' } });
  });

  it('takes defaults for the rest when only the number of faults is given', () => {
    const scenario = scenarioOf('[]');

    const budget = budgetFromScenario(scenario, { maxFaults: 2 });

    expect(budget.ok && describeBudget(budget.value)).toBe(
      'up to 2 faults (node-crash, network-partition, resource-exhaustion, performance-degradation, process-hang, crash-loop, bad-deploy, process-memory-leak), ' +
        'landing in [0s, 10m), at most 1 at once, on at most 1 node each, lasting 10s to 2m',
    );
  });
});
