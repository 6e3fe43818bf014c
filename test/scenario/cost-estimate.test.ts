import { describe, expect, it } from 'vitest';
import { costLimitMessage, DEFAULT_COST_LIMIT, estimateCost } from '../../src/scenario/cost-estimate.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';

const scenarioOf = (extra: string, duration = '10m') => {
  const r = loadScenarioText(
    `name: s
duration: ${duration}
cluster:
  nodes: { count: 10 }
  services: [ { name: api, replicas: 10, capacityRps: 400 } ]
${extra}`,
    's.yaml',
  );
  if (!r.ok) throw new Error(r.error.message);
  return r.value.scenario;
};

describe('cost estimates', () => {
  it('count scrapes as ticks times nodes and replicas, plus their fixed cost', () => {
    const e = estimateCost(scenarioOf('controller: { policy: noop }'));

    // 10 min of 10 s scrapes: 60 ticks x (10 fixed + 20 nodes and replicas).
    expect(e.terms.find((t) => t.what.startsWith('metric scrapes'))?.visits).toBe(60 * 30);
  });

  it('grow with a shorter interval, and with random arrivals over their window', () => {
    const slow = estimateCost(scenarioOf('controller: { policy: noop }'));
    const fast = estimateCost(
      scenarioOf(
        `controller: { policy: noop }
faults:
  - random: { from: 0s, until: 1h, meanInterval: 1ms, kinds: { node-crash: 1 } }`,
        '24h',
      ),
    );

    expect(fast.visits / slow.visits).toBeGreaterThan(1000);
  });

  it('put a day of 1 ms MAPE-K cycles over the default limit, and the bundled sizes under it', () => {
    const day = estimateCost(
      scenarioOf('controller: { policy: mapek, cycleInterval: 1ms, maxCycleTime: 1ms }', '24h'),
    );
    const usual = estimateCost(scenarioOf('controller: { policy: mapek }', '24h'));

    expect([day.visits > DEFAULT_COST_LIMIT, usual.visits < DEFAULT_COST_LIMIT]).toEqual([true, true]);
  });

  it('explain a refusal: the estimate, the limit, the largest part and the flag', () => {
    const e = estimateCost(
      scenarioOf('controller: { policy: mapek, cycleInterval: 1ms, maxCycleTime: 1ms }', '24h'),
    );

    const [head, first, , , hint] = costLimitMessage('s.yaml', e, DEFAULT_COST_LIMIT);

    expect([head, first, hint]).toEqual([
      's.yaml: estimated cost 6.91e9 visits is over the limit of 3.00e8 (one visit: one node or replica looked at by something periodic); the largest parts:',
      '  6.91e9  mapek controller cycles (every 1ms)',
      '  make those intervals longer, the cluster smaller or the run shorter, or pass --no-cost-limit to run it anyway',
    ]);
  });
});
