import { describe, expect, it } from 'vitest';
import { run } from './support.ts';

/**
 * Issue 12's extreme case: a storm of short resource exhaustions (about one a second somewhere, each lasting
 * about a second) barely touches a cluster left alone, while the oracle rebooted every node it had evacuated
 * whether or not the fault was still there, killing its own new replicas: 2.5 % availability where `noop`
 * kept 99.99 % in the report, 7 % against 96 % here.
 */
const STORM = {
  duration: '10m',
  cluster: {
    nodes: { count: 4 },
    services: [{ name: 'api', replicas: 4, capacityRps: 400 }],
    sensors: { scrapeInterval: '1s' },
  },
  workload: [{ service: 'api', rps: 800 }],
  controller: { cycleInterval: '1ms' },
  faults: [
    {
      random: {
        from: '10s',
        meanInterval: '5s',
        kinds: { 'resource-exhaustion': 1 },
        duration: { mean: '1s' },
        maxConcurrent: 4,
      },
    },
  ],
};

describe('a storm of short faults (issue 12)', () => {
  it('the oracle reboots a node only while a fault still holds it', () => {
    const r = run(STORM, 'oracle');

    const heldAt = (node: string, t: number) =>
      r.outcome.faults.some(
        (f) =>
          f.targets.some((n) => n === node) &&
          f.injectedAtMs <= t &&
          (f.clearedAtMs === null || f.clearedAtMs > t),
      );
    const needless = r.outcome.actions.filter(
      (a) => a.request.kind === 'restart-node' && !heldAt(a.request.node, a.startedAtMs),
    );

    expect(needless.map((a) => `${a.startedAtMs} ${JSON.stringify(a.request)}`)).toEqual([]);
  });

  // Not a bound here: these faults overlap (up to four at once on four nodes), the class docs/policies.md
  // names, where a plan per fault churns replicas that doing nothing would have left alone. What must hold
  // is that the oracle no longer collapses the cluster (7 % where noop kept 96 %, from its reboots).
  it.each([1, 2, 3])('seed %i: the oracle stays within 10 points of doing nothing', (seed) => {
    const oracle = run(STORM, 'oracle', seed).outcome.availability;
    const noop = run(STORM, 'noop', seed).outcome.availability;

    expect(oracle).toBeGreaterThan(noop - 0.1);
  });
});
