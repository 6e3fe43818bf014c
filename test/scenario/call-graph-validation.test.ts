import { describe, expect, it } from 'vitest';
import { formatIssue, type LoadError } from '../../src/scenario/load-error.ts';
import { loadScenarioText } from '../../src/scenario/loader.ts';

/** Three services; line numbers count from the first line: edge is line 6, api 7, db 8. */
const scenario = (edge: string, api: string, db = '', faults = '') => `name: t
duration: 10m
cluster:
  nodes: { count: 6 }
  services:
    - { name: edge, replicas: 2, capacityRps: 400${edge} }
    - { name: api, replicas: 2, capacityRps: 400${api} }
    - { name: db, replicas: 2, capacityRps: 400${db} }
workload:
  - { service: edge, rps: 100 }
${faults}`;

const refuse = (text: string): LoadError => {
  const r = loadScenarioText(text, 'bad.yaml');
  if (r.ok) throw new Error('expected the file to be refused');
  return r.error;
};

const lines = (e: LoadError): string[] => e.issues.map(formatIssue);

describe('the call graph is validated with file, line and field', () => {
  it('accepts a DAG (edge -> api -> db, edge -> db)', () => {
    const r = loadScenarioText(
      scenario(', calls: [{ service: api }, { service: db }]', ', calls: [{ service: db, perRequest: 2 }]'),
      'ok.yaml',
    );

    expect(r.ok).toBe(true);
  });

  it('refuses a cycle, naming its path at the entry that closes it', () => {
    const e = refuse(
      scenario(', calls: [{ service: api }]', ', calls: [{ service: db }]', ', calls: [{ service: edge }]'),
    );

    expect(lines(e)).toEqual([
      expect.stringMatching(
        /^bad\.yaml:8:\d+: cluster\.services\[2\]\.calls\[0\]\.service: the call graph has a cycle: edge -> api -> db -> edge/,
      ),
    ]);
  });

  it('refuses a service that calls itself', () => {
    const e = refuse(scenario('', ', calls: [{ service: api }]'));

    expect(lines(e)[0]).toMatch(
      /^bad\.yaml:7:\d+: cluster\.services\[1\]\.calls\[0\]\.service: .*cycle: api -> api/,
    );
  });

  it('refuses an unknown callee, listing the services', () => {
    const e = refuse(scenario('', ', calls: [{ service: dbx }]'));

    expect(lines(e)).toEqual([
      expect.stringMatching(
        /^bad\.yaml:7:\d+: cluster\.services\[1\]\.calls\[0\]\.service: "api" calls unknown service "dbx" \(services: "edge", "api", "db"\)/,
      ),
    ]);
  });

  it('refuses a perRequest that is not positive', () => {
    const e = refuse(scenario('', ', calls: [{ service: db, perRequest: 0 }]'));

    expect(lines(e)).toEqual([
      expect.stringMatching(
        /^bad\.yaml:7:\d+: cluster\.services\[1\]\.calls\[0\]\.perRequest: perRequest 0 is not positive/,
      ),
    ]);
  });

  it('refuses a dependency failure on an edge nobody declared', () => {
    const e = refuse(
      scenario(
        ', calls: [{ service: api }]',
        '',
        '',
        'faults:\n  - { at: 1m, kind: dependency-failure, from: edge, to: db, errorRate: 50% }\n',
      ),
    );

    expect(lines(e)).toEqual([
      expect.stringMatching(/^bad\.yaml:12:\d+: faults\[0\]\.to: "edge" does not call "db"/),
    ]);
  });

  it('refuses a random dependency failure in a scenario without calls', () => {
    const e = refuse(
      scenario('', '', '', 'faults:\n  - random: { meanInterval: 5m, kinds: { dependency-failure: 1 } }\n'),
    );

    expect(lines(e)).toEqual([
      expect.stringMatching(
        /faults\[0\]\.random\.kinds\.dependency-failure: dependency-failure needs a call edge/,
      ),
    ]);
  });
});
