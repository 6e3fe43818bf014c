import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/report/journal.ts';
import { TraceHasher } from '../../src/sim/trace-encoding.ts';
import { mapekInProcess as mapek } from './mapek-process.ts';

const RANDOM = 'test/fixtures/random-noop.yaml';
const CRASH = 'test/fixtures/crash-noop.yaml';
const HEALTHY = 'test/fixtures/healthy-noop.yaml';

let dir = '';
const out = (name: string) => join(dir, name);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapek-run-'));
});

describe('mapek run verdicts and exit codes', () => {
  it('exits 0 when every SLO is met', async () => {
    const r = await mapek(['run', HEALTHY]);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}healthy-noop {2}seed 1 {2}policy noop/);
  });

  it('exits 1 on an unmeetable SLO and names the SLO in a detail line', async () => {
    const r = await mapek(['run', CRASH, '--policy', 'noop']);

    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}crash-noop {2}seed 7/);
    expect(r.stdout).toMatch(/✗ availability: target >= 99\.99%, actual \d+\.\d+%/);
    expect(r.stdout).toMatch(/✗ detection: target <= 10s; never detected: f1/);
  });

  it('exits 2 when one of several files is invalid, and still runs the others', async () => {
    const bad = out('bad.yaml');
    writeFileSync(bad, 'name: x\nduration: 5m\n');

    const r = await mapek(['run', HEALTHY, bad]);

    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/PASS {2}healthy-noop/);
    expect(r.stderr).toMatch(/bad\.yaml:1:1: cluster: missing/);
  });

  it('sweeps seeds, printing p50/p95/p99/max of MTTD and MTTR, failing if any seed fails', async () => {
    const r = await mapek(['run', RANDOM, '--seeds', '1..3']);

    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}random-noop {2}seeds 1\.\.3 \(1 failed: 3\)/);
    expect(r.stdout).toMatch(/MTTD .*\n.*MTTR p50 \S+ {2}p95 \S+ {2}p99 \S+ {2}max \S+/);
    expect(r.stderr).toBe('');
  });
});

describe('journals, determinism and replay', () => {
  let first = '';
  let second = '';

  beforeAll(async () => {
    first = out('first.json');
    second = out('second.json');
    await mapek(['run', RANDOM, '--seed', '4', '--json', first]);
    await mapek(['run', RANDOM, '--seed', '4', '--json', second]);
  });

  it('writes one journal object for one run', () => {
    const j = readJson<Journal>(first);

    expect(Array.isArray(j)).toBe(false);
    expect([j.format, j.seed, j.policy, j.scenario.name]).toEqual([
      'mapek-journal/2',
      4,
      'noop',
      'random-noop',
    ]);
  });

  it('gives byte-identical journals outside the wall block for the same seed', () => {
    const a = readFileSync(first, 'utf8');
    const b = readFileSync(second, 'utf8');
    const strip = (text: string) => {
      const { wall: _wall, ...rest } = JSON.parse(text) as Journal;
      return JSON.stringify(rest);
    };

    expect(strip(a)).toBe(strip(b));
    expect(readJson<Journal>(first).wall.wallMs).toBeGreaterThanOrEqual(0);
  });

  it('replays a journal: same trace hash, exit 0', async () => {
    const r = await mapek(['replay', first]);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SAME {5}random-noop {2}seed 4 {2}policy noop/);
  });

  it('replay exits 1 when the recorded trace hash differs', async () => {
    const tampered = out('tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...readJson<Journal>(first), traceHash: 'f'.repeat(64) }));

    const r = await mapek(['replay', tampered]);

    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DIFFERS {2}random-noop/);
  });

  it('replay exits 2 for a file that is not a journal', async () => {
    const notJournal = out('not-journal.json');
    writeFileSync(notJournal, '{"hello": "world"}');

    const r = await mapek(['replay', notJournal]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a mapek-journal\/2 or mapek-journal\/1 journal/);
  });
});

describe('report files', () => {
  it('writes an array of journals, JUnit XML and an NDJSON trace for several runs', async () => {
    const bad = out('broken.yaml');
    writeFileSync(bad, 'name: broken\n');
    const json = out('many.json');
    const junit = out('junit.xml');
    const trace = out('trace.ndjson');

    const r = await mapek([
      'run',
      RANDOM,
      CRASH,
      bad,
      '--seeds',
      '1..3',
      '--json',
      json,
      '--junit',
      junit,
      '--trace',
      trace,
    ]);

    expect(r.code).toBe(2);
    const journals = readJson<Journal[]>(json);
    expect(journals.map((j) => [j.scenario.name, j.seed])).toEqual([
      ['random-noop', 1],
      ['random-noop', 2],
      ['random-noop', 3],
      ['crash-noop', 1],
      ['crash-noop', 2],
      ['crash-noop', 3],
    ]);

    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => ['testsuite', 'testcase', 'failure'].includes(n),
    }).parse(readFileSync(junit, 'utf8'));
    const cases = doc.testsuites.testsuite.flatMap((s: { testcase: unknown[] }) => s.testcase);
    const failures = cases.flatMap((c: { failure?: unknown[] }) => c.failure ?? []);
    const missed = journals.flatMap((j) => j.slos.filter((s) => !s.pass));
    expect(cases).toHaveLength(7);
    expect(failures).toHaveLength(missed.length);
    expect(doc.testsuites['@errors']).toBe('1');

    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { kind: string; traceHash?: string });
    expect(events.filter((e) => e.kind === 'run').map((e) => e.traceHash)).toEqual(
      journals.map((j) => j.traceHash),
    );
    const firstRun = lines.slice(
      1,
      lines.findIndex((l, i) => i > 0 && l.includes('"kind":"run"')),
    );
    // The header announces the hash of the run's events (in the trace's compact encoding), which the lines carry.
    const hash = new TraceHasher();
    for (const line of firstRun) hash.add(JSON.parse(line));
    expect(hash.digest()).toBe(journals[0]?.traceHash);
  });
});

describe('output files', () => {
  it('exits 2 when an output file cannot be written, before running anything', async () => {
    const r = await mapek(['run', HEALTHY, '--json', join(dir, 'missing', 'out.json')]);

    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot write .*missing\/out\.json/);
  });
});

describe('mapek schema', () => {
  it('prints the JSON Schema of scenario files', async () => {
    const r = await mapek(['schema']);

    const schema = JSON.parse(r.stdout) as {
      type: string;
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(r.code).toBe(0);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['name', 'duration', 'cluster', 'workload', 'controller', 'faults', 'slo']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'duration', 'cluster']));
  });
});
