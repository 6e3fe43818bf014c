import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMapek } from '../support/cli-io.ts';

const run = (args: string[]) => runMapek(['run', 'scenarios/single-node-crash.yaml', ...args]);

const attemptsIn = (path: string): number =>
  (JSON.parse(readFileSync(path, 'utf8')) as { stats: { attempts: number }[] }).stats.reduce(
    (n, s) => n + s.attempts,
    0,
  );

describe('mapek run --knowledge', () => {
  it('creates the file, then carries what each run learned into the next and saves it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mapek-k-')), 'knowledge.json');

    const first = await run(['--knowledge', path]);
    const afterFirst = attemptsIn(path);
    const sweep = await run(['--seeds', '1..2', '--knowledge', path]);

    expect([first.code, sweep.code]).toEqual([0, 0]);
    expect(afterFirst).toBe(1);
    expect(attemptsIn(path)).toBe(3);
  });

  it('refuses a file that is not a knowledge file, exit 2, runs nothing and leaves it as it was', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mapek-k-')), 'notes.json');
    writeFileSync(path, '{"format": "mapek-knowledge", "version": 1, "stats": [');

    const r = await run(['--knowledge', path]);

    expect(r.code).toBe(2);
    expect(r.err).toMatch(/notes\.json is not valid JSON.*the file was not changed/);
    expect(r.out).toBe('');
    expect(readFileSync(path, 'utf8')).toBe('{"format": "mapek-knowledge", "version": 1, "stats": [');
  });
});
