import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mapek, mapekInProcess } from './mapek-process.ts';

/**
 * One spawned `node bin/mapek.js` per command: the real binary, its exit code through the process, and no
 * stack trace on stderr. Everything else about the commands is tested in process (the same program,
 * without a process start per case), in the other files of this folder.
 */
const NO_STACK = /\n\s+at /;

let dir = '';
let journal = '';
let path = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapek-e2e-'));
  journal = join(dir, 'journal.json');
  const search = join(dir, 'search.yaml');
  // In process: what the spawned replay and explore start from.
  await mapekInProcess(['run', 'test/fixtures/random-noop.yaml', '--seed', '4', '--json', journal]);
  const found = await mapekInProcess([
    'explore',
    'test/fixtures/two-crashes-noop.yaml',
    '--seed',
    '7',
    '--runs',
    '100',
    '--out',
    search,
  ]);
  path = /--path (\S+)/.exec(found.stdout)?.[1] ?? '';
});

describe('the mapek binary, one spawned run per command', () => {
  it.concurrent('run: exits 1 on a violated SLO and names it', async () => {
    const r = await mapek(['run', 'test/fixtures/crash-noop.yaml']);

    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}crash-noop {2}seed 7/);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it.concurrent('validate: exits 2 on a bad file with its file:line and field, no stack', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nduraton: 5m\n');

    const r = await mapek(['validate', bad]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:2:1: duraton: unknown key "duraton"/);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it.concurrent('replay: exits 0 when the trace hash is the same', async () => {
    const r = await mapek(['replay', journal]);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SAME {5}random-noop {2}seed 4 {2}policy noop/);
    expect(r.stderr).toBe('');
  });

  it.concurrent('explore: replays a search straight to its counterexample, exit 1', async () => {
    const out = join(dir, 'again.yaml');

    const r = await mapek([
      'explore',
      'test/fixtures/two-crashes-noop.yaml',
      '--seed',
      '7',
      '--path',
      path,
      '--out',
      out,
    ]);

    expect(path).toMatch(/^\d+(:\d+)*$/);
    expect(r.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toMatch(/kind: node-crash/);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it.concurrent('bench: runs the matrix on two worker threads, exit 0', async () => {
    const out = join(dir, 'bench');

    const r = await mapek([
      'bench',
      '--workers',
      '2',
      '--no-learning',
      '--no-throughput',
      '--scenarios',
      'scenarios/single-node-crash.yaml',
      '--policies',
      'noop',
      'oracle',
      '--seeds',
      '1',
      '--out',
      out,
    ]);

    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'recovery.json'), 'utf8'));
    expect(report.recovery.map((x: { policy: string }) => x.policy)).toEqual(['noop', 'oracle']);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it.concurrent('schema: prints the JSON Schema, exit 0', async () => {
    const r = await mapek(['schema']);

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).type).toBe('object');
    expect(r.stderr).toBe('');
  });
});
