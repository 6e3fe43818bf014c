import { describe, expect, it } from 'vitest';
import { formatIssue, type LoadError } from '../../src/scenario/load-error.ts';
import { loadScenarioBytes, loadScenarioText } from '../../src/scenario/loader.ts';
import { MAX_SCENARIO_BYTES } from '../../src/scenario/source-text.ts';

/** A valid scenario; line numbers below count from its first line. */
const BASE = `name: t
duration: 10m
cluster:
  nodes: { count: 6 }
  services:
    - { name: api, replicas: 3, capacityRps: 400 }
    - { name: orders, replicas: 3, capacityRps: 300, stateful: { replication: sync } }
`;
/** The first line after BASE. */
const NEXT = 8;

const refuse = (text: string, file = 'bad.yaml'): LoadError => {
  const r = loadScenarioText(text, file);
  if (r.ok) throw new Error('expected the file to be refused');
  return r.error;
};

const lines = (e: LoadError): string[] => e.issues.map(formatIssue);

describe('the loader refuses each class of bad file with file:line and field', () => {
  it('accepts the base scenario (the fixtures below differ from it in one place)', () => {
    const r = loadScenarioText(BASE, 'ok.yaml');

    expect(r.ok).toBe(true);
  });

  it('an empty file', () => {
    const e = refuse('');

    expect(e.kind).toBe('empty');
    expect(lines(e)).toEqual(['bad.yaml: the file is empty: expected a scenario']);
  });

  it('a file with only comments and blank lines', () => {
    const e = refuse('# nothing here\n\n');

    expect(e.kind).toBe('empty');
    expect(lines(e)[0]).toMatch(/^bad\.yaml:1:1: the file has no content/);
  });

  it('a binary file (a NUL byte), at the line of the byte', () => {
    const e = loadScenarioBytes(new Uint8Array([0x6e, 0x3a, 0x0a, 0x20, 0x00, 0xff]), 'blob.yaml');

    expect(e.ok).toBe(false);
    expect(e.ok ? '' : e.error.kind).toBe('binary');
    expect(e.ok ? [] : lines(e.error)).toEqual([
      'blob.yaml:2:2: the file is binary (it contains a NUL byte): expected a YAML or JSON text file',
    ]);
  });

  it('a file that is not UTF-8', () => {
    const e = loadScenarioBytes(new Uint8Array([0x6e, 0x3a, 0x20, 0xc3, 0x28]), 'latin.yaml');

    expect(e.ok ? '' : e.error.kind).toBe('binary');
    expect(
      e.ok ? '' : formatIssue(e.error.issues[0] ?? { file: '', position: null, path: [], message: '' }),
    ).toMatch(/^latin\.yaml:1:4: the file is not valid UTF-8/);
  });

  it('a YAML bomb (aliases that expand without bound)', () => {
    const levels = ['name: bomb', 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }

    const e = refuse(levels.join('\n'));

    expect(e.kind).toBe('alias-bomb');
    expect(lines(e)[0]).toMatch(/^bad\.yaml:3:\d+: aliases expand without bound \(a YAML bomb\)/);
  });

  it('a document nested thousands deep', () => {
    const e = refuse(`name: deep\nd: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);

    expect(e.kind).toBe('too-complex');
    expect(lines(e)[0]).toMatch(/^bad\.yaml:\d+:\d+: .*nests .*deep/);
  });

  it('a file over the size limit', () => {
    const e = refuse(`name: big\ndescription: ${'x'.repeat(MAX_SCENARIO_BYTES)}\n`);

    expect(e.kind).toBe('too-large');
    expect(lines(e)[0]).toMatch(/^bad\.yaml: the file is \d+ bytes; scenario files are limited to/);
  });

  it('a __proto__ key, at the top level', () => {
    const e = refuse(`${BASE}__proto__: { polluted: true }\n`);

    expect(e.kind).toBe('forbidden-key');
    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT}:1: __proto__: the key "__proto__" is not allowed in a scenario file`,
    ]);
  });

  it('constructor and prototype keys, nested', () => {
    const e = refuse(`${BASE}slo:\n  constructor: 1\n  prototype: 2\n`);

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 1}:3: slo.constructor: the key "constructor" is not allowed in a scenario file`,
      `bad.yaml:${NEXT + 2}:3: slo.prototype: the key "prototype" is not allowed in a scenario file`,
    ]);
  });

  it('a duplicate key, naming the line of the first one', () => {
    const e = refuse(`${BASE}name: again\n`);

    expect(e.kind).toBe('duplicate-key');
    expect(lines(e)).toEqual([`bad.yaml:${NEXT}:1: name: duplicate key "name" (first at line 1)`]);
  });

  it('several YAML documents in one file', () => {
    const e = refuse(`${BASE}---\nname: second\n`);

    expect(e.kind).toBe('multiple-documents');
    expect(lines(e)[0]).toMatch(new RegExp(`^bad\\.yaml:${NEXT}:1: the file holds several YAML documents`));
  });

  it('a YAML syntax error', () => {
    const e = refuse(`${BASE}faults: [1, 2\n`);

    expect(e.kind).toBe('syntax');
    expect(lines(e)[0]).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax: /);
  });

  it('a non-core tag', () => {
    const e = refuse(`${BASE}description: !!binary aGVsbG8=\n`);

    expect(e.kind).toBe('unsupported-tag');
    expect(lines(e)[0]).toMatch(
      new RegExp(`^bad\\.yaml:${NEXT}:\\d+: description: the tag !!binary is not supported`),
    );
  });

  it('an unknown key, with a did-you-mean', () => {
    const e = refuse(BASE.replace('duration: 10m', 'duraton: 10m'));

    expect(e.kind).toBe('invalid');
    expect(lines(e)).toContain('bad.yaml:2:1: duraton: unknown key "duraton"; did you mean "duration"?');
  });

  it('an unknown nested key, with a did-you-mean against that object', () => {
    const e = refuse(BASE.replace('{ count: 6 }', '{ count: 6, memoryGB: 16 }'));

    expect(lines(e)).toEqual([
      'bad.yaml:4:22: cluster.nodes.memoryGB: unknown key "memoryGB"; did you mean "memoryGb"?',
    ]);
  });

  it('an unknown key too far from any to guess lists the allowed keys', () => {
    const e = refuse(`${BASE}slo: { zzz: 1 }\n`);

    expect(lines(e)[0]).toMatch(
      /slo\.zzz: unknown key "zzz"; expected one of: detection, recovery, availability/,
    );
  });

  it('an unknown fault kind, listing the kinds', () => {
    const e = refuse(`${BASE}faults:\n  - { at: 5s, kind: disk-on-fire, target: node-1 }\n`);

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 1}:21: faults[0].kind: unknown kind "disk-on-fire": expected one of node-crash, network-partition, resource-exhaustion, performance-degradation, load-spike, process-hang, crash-loop, bad-deploy, process-memory-leak, dependency-failure`,
    ]);
  });

  it('a misspelt fault kind, with a did-you-mean', () => {
    const e = refuse(`${BASE}faults:\n  - { at: 5s, kind: node-crsh, target: node-1 }\n`);

    expect(lines(e)[0]).toMatch(
      /faults\[0\]\.kind: unknown kind "node-crsh": .*did you mean "node-crash"\?$/,
    );
  });

  it('a partition naming an unknown node, at the node in the list', () => {
    const e = refuse(
      `${BASE}faults:\n  - at: 5s\n    kind: network-partition\n    groups: [[node-1], [node-9]]\n    duration: 1m\n`,
    );

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 3}:25: faults[0].groups[1][0]: unknown node "node-9": the cluster has node-1 to node-6 and "control"`,
    ]);
  });

  it('a negative duration', () => {
    const e = refuse(`${BASE}faults:\n  - { at: -5s, kind: node-crash, target: node-1 }\n`);

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 1}:11: faults[0].at: invalid duration "-5s": durations cannot be negative`,
    ]);
  });

  it('a bare number where a duration is expected says what a duration looks like', () => {
    const e = refuse(BASE.replace('duration: 10m', 'duration: 600'));

    expect(lines(e)).toEqual([
      'bad.yaml:2:11: duration: expected simulated time the run lasts: a duration with a unit, such as 250ms, 30s, 5m or 1h30m; got the number 600',
    ]);
  });

  it('a required field that is missing points at the mapping it is missing from', () => {
    const e = refuse(BASE.replace('{ count: 6 }', '{ cpu: 4 }'));

    expect(lines(e)[0]).toMatch(/^bad\.yaml:4:10: cluster\.nodes\.count: missing: expected a number/);
  });

  it('a percentage written as a bare number above 1', () => {
    const e = refuse(`${BASE}slo: { availability: 99.9 }\n`);

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT}:22: slo.availability: 99.9 is above 1: write 99.9% for a percentage`,
    ]);
  });

  it('a workload for an unknown service', () => {
    const e = refuse(`${BASE}workload:\n  - { service: apii, rps: 100 }\n`);

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 1}:16: workload[0].service: unknown service "apii": services are api, orders`,
    ]);
  });

  it('a policy name with a typo', () => {
    const e = refuse(`${BASE}controller: { policy: mapk }\n`);

    expect(lines(e)[0]).toMatch(
      /controller\.policy: expected one of mapek, noop, .*; got "mapk"; did you mean "mapek"\?$/,
    );
  });

  it('every problem of a file, in file order', () => {
    const e = refuse(BASE.replace('duration: 10m', 'duration: 10').replace('{ count: 6 }', '{ count: 0 }'));

    expect(e.issues.map((i) => i.position?.line)).toEqual([2, 4]);
  });
});

describe('a faults entry that fails every form reports the form it was written in', () => {
  it('a random generator with a bad field reports only the generator', () => {
    const e = refuse(
      `${BASE}faults:\n  - random: { meanInterval: soon, kinds: { node-crash: 1 }, maxConcurent: 2 }\n`,
    );

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 1}:29: faults[0].random.meanInterval: invalid duration "soon": cannot read "soon"; expected forms like 250ms, 30s, 5m, 1h30m`,
      `bad.yaml:${NEXT + 1}:61: faults[0].random.maxConcurent: unknown key "maxConcurent"; did you mean "maxConcurrent"?`,
    ]);
  });

  it('a timeline entry with a misspelt key reports the timeline form', () => {
    const e = refuse(`${BASE}faults:\n  - { at: 5s, kind: node-crash, targt: node-1 }\n`);

    expect(e.issues.map((i) => i.path.join('.'))).toEqual(['faults.0.target', 'faults.0.targt']);
    expect(lines(e)[1]).toMatch(/unknown key "targt"; did you mean "target"\?$/);
  });

  it('a timeline entry without a kind asks for the kind', () => {
    const e = refuse(`${BASE}faults:\n  - { at: 5s, target: node-1 }\n`);

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 1}:5: faults[0].kind: missing "kind": expected one of node-crash, network-partition, resource-exhaustion, performance-degradation, load-spike, process-hang, crash-loop, bad-deploy, process-memory-leak, dependency-failure`,
    ]);
  });

  it('an empty entry names both forms once', () => {
    const e = refuse(`${BASE}faults:\n  - {}\n`);

    expect(lines(e)).toEqual([
      `bad.yaml:${NEXT + 1}:5: faults[0]: expected a fault on the timeline ({ at, kind, target, ... }) or a random generator ({ random: { meanInterval, kinds, ... } }); got an empty mapping`,
    ]);
  });
});

describe('JSON scenario files', () => {
  it('load like YAML and report positions in the JSON text', () => {
    const json = JSON.stringify({
      name: 't',
      duration: '10m',
      cluster: { nodes: { count: 2 }, services: [{ name: 'a', replicas: 1, capacityRps: 10 }] },
      sed: 3,
    });

    const e = refuse(json, 'bad.json');

    expect(lines(e)).toEqual([
      `bad.json:1:${json.indexOf('"sed"') + 1}: sed: unknown key "sed"; did you mean "seed"?`,
    ]);
  });

  it('say JSON in a syntax error of a .json file', () => {
    const e = refuse('{"name": "t", "duration": }', 'bad.json');

    expect(lines(e)[0]).toMatch(/^bad\.json:1:\d+: JSON syntax/);
  });
});
