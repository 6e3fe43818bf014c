import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/scenario/load-error.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';

const BASE = `name: s
duration: 10m
cluster:
  nodes: { count: 3, cpu: 2 }
  services:
    - { name: api, replicas: 3, capacityRps: 400 }
workload:
  - { service: api, rps: 900 }
controller: { policy: noop }
`;

/** The issues of a scenario as `file:line:col: field: message` lines. */
const problems = (text: string): string[] => {
  const r = loadScenarioText(text, 's.yaml');
  return r.ok ? [] : r.error.issues.map(formatIssue);
};

describe('semantic validation', () => {
  it('passes a scenario that can run as written', () => {
    expect(problems(BASE)).toEqual([]);
  });

  it('refuses replicas that cannot be placed, at the replicas field', () => {
    const text = BASE.replace('replicas: 3, capacityRps: 400', 'replicas: 7, capacityRps: 400');

    expect(problems(text)).toEqual([
      's.yaml:6:30: cluster.services[0].replicas: the replicas cannot all be placed: up to "api" they need 7 CPU cores in 7 replicas, and 3 nodes of 2 cores hold 6 cores (at most 6 replicas of 1 cores)',
    ]);
  });

  it('refuses a replica larger than a node, at its cpu field', () => {
    const text = BASE.replace('capacityRps: 400 }', 'capacityRps: 400, cpu: 4 }');

    expect(problems(text)).toEqual([
      's.yaml:6:56: cluster.services[0].cpu: a replica of "api" needs 4 CPU cores; a node has 2, so no replica can be placed',
    ]);
  });

  it('refuses a random window whose until is before its from', () => {
    const text = `${BASE}faults:\n  - random: { from: 5m, until: 1m, meanInterval: 30s, kinds: { node-crash: 1 } }\n`;

    expect(problems(text)).toEqual([
      's.yaml:11:32: faults[0].random.until: until (1m) is not after from (5m): the window is empty and the generator would inject nothing',
    ]);
  });

  it('refuses a random generator that starts after the run ends', () => {
    const text = `${BASE}faults:\n  - random: { from: 20m, meanInterval: 30s, kinds: { node-crash: 1 } }\n`;

    expect(problems(text)).toEqual([
      's.yaml:11:21: faults[0].random.from: the generator starts at 20m, not before the run ends (10m): it would inject nothing',
    ]);
  });

  it('refuses a blast radius larger than the cluster, on the timeline and in a generator', () => {
    const text = `${BASE}faults:
  - { at: 1m, kind: node-crash, target: random, blastRadius: "count:50" }
  - random: { meanInterval: 30s, kinds: { node-crash: 1 }, blastRadius: "count:4" }
`;

    expect(problems(text)).toEqual([
      's.yaml:11:62: faults[0].blastRadius: blast radius count:50 is larger than the cluster (3 nodes)',
      's.yaml:12:73: faults[1].random.blastRadius: blast radius count:4 is larger than the cluster (3 nodes)',
    ]);
  });

  it('refuses numbers too large for the arithmetic, each at its own position', () => {
    const text = BASE.replace('capacityRps: 400', 'capacityRps: 1e308').replace('rps: 900', 'rps: 1e300');

    expect(problems(text).map((l) => l.split(': ').slice(0, 2).join(': '))).toEqual([
      's.yaml:6:46: cluster.services[0].capacityRps',
      's.yaml:8:26: workload[0].rps',
    ]);
  });
});
