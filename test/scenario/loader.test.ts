import { describe, expect, it } from 'vitest';
import { loadScenarioText, parseScenarioValue } from '../../src/scenario/loader.ts';

const YAML = `# a comment
name: t
duration: 10m
cluster:
  nodes: { count: 3 }
  services:
    - { name: api, replicas: 3, capacityRps: 400 }
workload:
  - { service: api, rps: 600 }
slo: { availability: 99.9% }
`;

const JSON_TEXT = JSON.stringify({
  name: 't',
  duration: '10m',
  cluster: { nodes: { count: 3 }, services: [{ name: 'api', replicas: 3, capacityRps: 400 }] },
  workload: [{ service: 'api', rps: 600 }],
  slo: { availability: '99.9%' },
});

describe('loading a valid scenario', () => {
  it('reads YAML and JSON into the same scenario', () => {
    const yaml = loadScenarioText(YAML, 'a.yaml');
    const json = loadScenarioText(JSON_TEXT, 'a.json');

    expect(yaml.ok && json.ok).toBe(true);
    expect(yaml.ok ? yaml.value.scenario : null).toEqual(json.ok ? json.value.scenario : undefined);
    expect([yaml.ok && yaml.value.format, json.ok && json.value.format]).toEqual(['yaml', 'json']);
  });

  it('fills in defaults and converts units', () => {
    const r = loadScenarioText(YAML, 'a.yaml');

    const s = r.ok ? r.value.scenario : null;
    expect(s?.durationMs).toBe(600_000);
    expect(s?.seed).toBe(1);
    expect(s?.controller.policy).toBe('mapek');
    expect(s?.slo.availability).toBeCloseTo(0.999, 12);
  });

  it('keeps the document as data, which parses again to the same scenario (what replay relies on)', () => {
    const r = loadScenarioText(YAML, 'a.yaml');
    if (!r.ok) throw new Error(r.error.message);

    const again = parseScenarioValue(JSON.parse(JSON.stringify(r.value.input)), 'journal');

    expect(again.ok ? again.value : null).toEqual(r.value.scenario);
  });

  it('records the SHA-256 of the bytes', () => {
    const r = loadScenarioText(YAML, 'a.yaml');

    expect(r.ok ? r.value.sha256 : '').toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports problems without positions for data that has no file', () => {
    const r = parseScenarioValue({ name: 't' }, 'journal.json');

    expect(r.ok ? [] : r.error.issues.map((i) => i.position)).toEqual([null, null]);
  });
});
