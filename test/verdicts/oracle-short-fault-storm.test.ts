import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { scenarioSchema } from '../../src/scenario/schema/scenario.ts';
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
  it('the oracle reboots a node only while a fault holds it, or to bring back one a failed reboot left down', () => {
    const r = runScenario(scenarioSchema.parse({ name: 'storm', ...STORM }), {
      policy: 'oracle',
      keepTrace: true,
    });
    if (!r.ok) throw new Error(r.error.message);
    const { outcome, traceLines } = r.value;
    // Each node's up and down instants, from the trace.
    const changes = traceLines
      .map((l) => JSON.parse(l) as { t: number; kind: string; source: string })
      .filter((e) => e.kind === 'node.up' || e.kind === 'node.crashed' || e.kind === 'node.booting');
    const upAt = (node: string, t: number) => {
      let up = true;
      for (const e of changes) if (e.source === node && e.t < t) up = e.kind === 'node.up';
      return up;
    };
    const heldAt = (node: string, t: number) =>
      outcome.faults.some(
        (f) =>
          f.targets.some((n) => n === node) &&
          f.injectedAtMs <= t &&
          (f.clearedAtMs === null || f.clearedAtMs > t),
      );

    const needless = outcome.actions.filter(
      (a) =>
        a.request.kind === 'restart-node' &&
        upAt(a.request.node, a.startedAtMs) &&
        !heldAt(a.request.node, a.startedAtMs),
    );

    expect(needless.map((a) => `${a.startedAtMs} ${JSON.stringify(a.request)}`)).toEqual([]);
  });

  // Not a bound here: these faults overlap (up to four at once on four nodes), the class docs/policies.md
  // names, where a plan per fault churns replicas that doing nothing would have left alone. What must hold
  // is that the oracle no longer collapses the cluster (7 % where noop kept 96 %, from its reboots). Under the
  // queueing model noop keeps 97.4-98.2 % at seeds 1-5 and the oracle 84.5-96.0 %.
  it.each([1, 2, 3])('seed %i: the oracle stays within 15 points of doing nothing', (seed) => {
    const oracle = run(STORM, 'oracle', seed).outcome.availability;
    const noop = run(STORM, 'noop', seed).outcome.availability;

    expect(oracle).toBeGreaterThan(noop - 0.15);
  });
});

describe('a reboot that fails after its fault ended (found by npm run bench)', () => {
  it('random-chaos-24h-50-nodes seed 24: the oracle powers the node back on and recovers every fault', () => {
    // f40, a CPU hog on node-13, ended while the oracle's reboot was under way; the reboot failed and left the
    // machine down, and a retry guarded on the fault alone never came: node-13 stayed down for the rest of the
    // day, and f81, a later 5 s partition of it, was never recovered.
    const loaded = loadScenarioFile('scenarios/random-chaos-24h-50-nodes.yaml');
    if (!loaded.ok) throw new Error(loaded.error.message);

    const r = runScenario(loaded.value.scenario, { seed: 24, policy: 'oracle' });

    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.slos.filter((s) => !s.pass).map((s) => s.name)).toEqual([]);
  });
});
