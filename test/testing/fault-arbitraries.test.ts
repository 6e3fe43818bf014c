import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/base/duration.ts';
import { faultSchedule } from '../../src/testing/fault-arbitraries.ts';
import type { FaultBudget } from '../../src/testing/fault-budget.ts';
import { type PlannedFault, withinBudget } from '../../src/testing/planned-fault.ts';
import { parseCase } from '../../src/testing/run-case.ts';
import { scenario } from '../../src/testing/scenario-arbitraries.ts';
import type { FaultEntryInput } from '../../src/testing/scenario-input.ts';

const BUDGET: FaultBudget = {
  nodes: ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'],
  statefulServices: ['db'],
  replicatedServices: ['api', 'db'],
  kinds: ['node-crash', 'network-partition', 'resource-exhaustion', 'performance-degradation'],
  fromMs: 30_000,
  untilMs: 540_000,
  maxFaults: 6,
  maxConcurrent: 2,
  maxBlastRadius: 2,
  minDurationMs: 10_000,
  maxDurationMs: 120_000,
  crashRebootMs: 45_000,
};

const BASE = {
  name: 'arbitraries',
  duration: '10m',
  cluster: {
    nodes: { count: 5 },
    services: [
      { name: 'api', replicas: 5, capacityRps: 100 },
      { name: 'db', replicas: 3, capacityRps: 100, stateful: { replication: 'sync' } },
    ],
  },
};

const ms = (text: unknown): number => {
  const d = parseDuration(String(text));
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
};

const namedNodes = (e: FaultEntryInput): string[] => {
  const t = e.target ?? e.isolate;
  if (Array.isArray(t)) return t.map(String);
  return typeof t === 'string' && t.startsWith('node-') ? [t] : [];
};

/** [start, end) of the time a fault is in effect, as the budget counts it. */
const window = (e: FaultEntryInput): [number, number] => {
  const start = ms(e.at);
  return [start, start + ms(e.duration) + (e.kind === 'node-crash' ? 45_000 : 0)];
};

const PARAMS = { seed: 5, numRuns: 200 };

describe('fault schedules within a budget', () => {
  test.prop([faultSchedule(BUDGET)], PARAMS)('are valid scenario timelines', (faults) => {
    expect(() => parseCase({ ...BASE, faults })).not.toThrow();
  });

  test.prop([faultSchedule(BUDGET)], PARAMS)(
    'stay within the count, window, durations and blast radius',
    (faults) => {
      expect(faults.length).toBeLessThanOrEqual(BUDGET.maxFaults);
      for (const f of faults) {
        expect(ms(f.at)).toBeGreaterThanOrEqual(BUDGET.fromMs);
        expect(ms(f.at)).toBeLessThan(BUDGET.untilMs);
        expect(ms(f.duration)).toBeGreaterThanOrEqual(BUDGET.minDurationMs);
        expect(ms(f.duration)).toBeLessThanOrEqual(BUDGET.maxDurationMs);
        expect(namedNodes(f).length).toBeLessThanOrEqual(BUDGET.maxBlastRadius);
      }
    },
  );

  test.prop([faultSchedule(BUDGET)], PARAMS)(
    'never put more faults in effect at once than allowed, nor two on one node',
    (faults) => {
      for (const f of faults) {
        const start = ms(f.at);
        const active = faults.filter((g) => window(g)[0] <= start && window(g)[1] > start);
        const nodes = active.flatMap(namedNodes);
        expect(active.length).toBeLessThanOrEqual(BUDGET.maxConcurrent);
        expect(new Set(nodes).size).toBe(nodes.length);
      }
    },
  );

  test.prop([faultSchedule(BUDGET)], PARAMS)('are in time order', (faults) => {
    const times = faults.map((f) => ms(f.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('hold at least minFaults faults', () => {
    const schedules = fc.sample(faultSchedule({ ...BUDGET, minFaults: 1, maxFaults: 1 }), {
      seed: 1,
      numRuns: 100,
    });

    expect(schedules.every((s) => s.length === 1)).toBe(true);
  });
});

/** Runs fast-check on a predicate over schedules and returns its shrunk counterexample. */
const shrunk = (budget: FaultBudget, fails: (faults: FaultEntryInput[]) => boolean): FaultEntryInput[] => {
  const details = fc.check(
    fc.property(faultSchedule(budget), (faults) => !fails(faults)),
    { seed: 11, numRuns: 1_000 },
  );
  if (!details.failed || details.counterexample === null) throw new Error('no counterexample found');
  return details.counterexample[0];
};

describe('fault schedules shrink towards fewer, earlier, shorter, smaller and milder faults', () => {
  it('to exactly the two overlapping crashes a predicate needs, at the window start, as short as allowed', () => {
    const crashes = { ...BUDGET, kinds: ['node-crash', 'performance-degradation'] as const };
    const twoCrashesAtOnce = (faults: FaultEntryInput[]) =>
      faults.some((f) =>
        faults.some(
          (g) =>
            g !== f &&
            f.kind === 'node-crash' &&
            g.kind === 'node-crash' &&
            window(g)[0] <= window(f)[0] &&
            window(g)[1] > window(f)[0],
        ),
      );

    const faults = shrunk(crashes, twoCrashesAtOnce);

    expect(faults).toEqual([
      { at: '30s', kind: 'node-crash', target: expect.any(String), duration: '10s' },
      { at: '30s', kind: 'node-crash', target: expect.any(String), duration: '10s' },
    ]);
  });

  it('to a single named node and the mildest level', () => {
    const cpu = { ...BUDGET, kinds: ['resource-exhaustion'] as const, resources: ['cpu'] as const };
    const anyCpuHog = (faults: FaultEntryInput[]) => faults.length > 0;

    const faults = shrunk(cpu, anyCpuHog);

    expect(faults).toEqual([
      {
        at: '30s',
        kind: 'resource-exhaustion',
        target: expect.stringMatching(/^node-\d$/),
        resource: 'cpu',
        level: '80%',
        duration: '10s',
      },
    ]);
  });

  it('to the mildest slowdown: twice the latency, 80 % of the capacity', () => {
    const slow = { ...BUDGET, kinds: ['performance-degradation'] as const };

    const faults = shrunk(slow, (f) => f.length > 0);

    expect(faults[0]).toMatchObject({ latencyFactor: 2, capacityFactor: '80%' });
  });
});

describe('the budget limits', () => {
  const planned = (atS: number, durationS: number, nodes: string[]): PlannedFault => ({
    atS,
    durationS,
    kind: 'performance-degradation',
    nodes,
    entry: { at: `${atS}s`, kind: 'performance-degradation' },
  });

  it('drop a fault that would exceed maxConcurrent, and keep it once another has ended', () => {
    const faults = [planned(0, 60, ['node-1']), planned(10, 60, ['node-2']), planned(60, 10, ['node-3'])];

    const kept = withinBudget(faults, { ...BUDGET, maxConcurrent: 1 });

    expect(kept.map((f) => f.atS)).toEqual([0, 60]);
  });

  it('drop a fault on a node another fault still holds', () => {
    const faults = [planned(0, 60, ['node-1', 'node-2']), planned(30, 60, ['node-2'])];

    const kept = withinBudget(faults, BUDGET);

    expect(kept.map((f) => f.atS)).toEqual([0]);
  });
});

describe('whole random scenarios', () => {
  test.prop([scenario()], { seed: 3, numRuns: 50 })('are valid scenarios', (input) => {
    expect(() => parseCase(input)).not.toThrow();
  });
});
