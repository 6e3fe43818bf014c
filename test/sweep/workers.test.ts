import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapekInProcess } from '../cli/mapek-process.ts';
import { withoutWallClock } from '../support/wall-fields.ts';

/** The pool from the first seed, whatever a run costs (the default waits until it pays). */
const POOL_AT_ONCE = { MAPEK_POOL_AFTER_MS: '0' };

const sweepWith = async (workers: number) => {
  const dir = mkdtempSync(join(tmpdir(), `mapek-workers-${workers}-`));
  const json = join(dir, 'runs.json');
  const junit = join(dir, 'runs.xml');
  const r = await mapekInProcess(
    [
      'run',
      'test/fixtures/random-noop.yaml',
      '--seeds',
      '1..6',
      '--workers',
      String(workers),
      '--json',
      json,
      '--junit',
      junit,
    ],
    POOL_AT_ONCE,
  );
  return { ...r, json: readFileSync(json, 'utf8'), junit: readFileSync(junit, 'utf8') };
};

describe('run --seeds on a pool of worker threads', () => {
  it('writes the same journals and JUnit with 1 worker and with 2, outside wall-clock fields', async () => {
    const one = await sweepWith(1);
    const two = await sweepWith(2);

    expect(two.code).toBe(one.code);
    expect(withoutWallClock(two.json)).toBe(withoutWallClock(one.json));
    expect(withoutWallClock(two.junit)).toBe(withoutWallClock(one.junit));
    // In this process the clock stands at 0; runs timed by a worker's own clock show they ran there.
    const walls = (text: string) => [...text.matchAll(/"wallMs": ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(walls(one.json).every((w) => w === 0)).toBe(true);
    expect(walls(two.json).every((w) => w > 0)).toBe(true);
  });
});

const benchWith = async (workers: number) => {
  const out = mkdtempSync(join(tmpdir(), `mapek-bench-workers-${workers}-`));
  const r = await mapekInProcess([
    'bench',
    '--workers',
    String(workers),
    '--no-throughput',
    '--no-learning',
    '--scenarios',
    'test/fixtures/two-crashes-noop.yaml',
    'test/fixtures/random-noop.yaml',
    '--policies',
    'noop',
    'restart-always',
    '--seeds',
    '3',
    '--out',
    out,
  ]);
  const report = JSON.parse(readFileSync(join(out, 'recovery.json'), 'utf8'));
  // The wall block (times, worker count, machine) is the one part allowed to differ.
  const { wall, command, ...measured } = report;
  const markdown = readFileSync(join(out, 'recovery.md'), 'utf8').split('\n').slice(3).join('\n');
  return { code: r.code, measured, markdown, workers: wall.workers };
};

describe('bench on a pool of worker threads', () => {
  it('writes the same tables with 1 worker and with 2, outside the wall block', async () => {
    const one = await benchWith(1);
    const two = await benchWith(2);

    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.measured).toEqual(one.measured);
    expect(two.markdown).toBe(one.markdown);
    expect([one.workers, two.workers]).toEqual([1, 2]);
  });
});

const exploreWith = async (workers: number) => {
  const dir = mkdtempSync(join(tmpdir(), `mapek-explore-workers-${workers}-`));
  const out = join(dir, 'found.yaml');
  const r = await mapekInProcess(
    [
      'explore',
      'test/fixtures/two-crashes-noop.yaml',
      '--seed',
      '7',
      '--runs',
      '40',
      '--workers',
      String(workers),
      '--out',
      out,
    ],
    POOL_AT_ONCE,
  );
  return { code: r.code, file: readFileSync(out, 'utf8').replaceAll(out, 'OUT') };
};

describe('explore on a pool of worker threads', () => {
  it('writes the same counterexample with 1 worker and with 2', async () => {
    const one = await exploreWith(1);
    const two = await exploreWith(2);

    expect([one.code, two.code]).toEqual([1, 1]);
    expect(two.file).toBe(one.file);
  });
});
