import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutWallClock } from '../support/wall-fields.ts';
import { mapekInProcess } from './mapek-process.ts';

const SWEEP = ['run', 'test/fixtures/random-noop.yaml', 'test/fixtures/crash-noop.yaml', '--seeds', '1..4'];

const read = (path: string) => withoutWallClock(readFileSync(path, 'utf8'));

describe('run --shard i/n and mapek merge', () => {
  it('merges 3 shards into the journals, JUnit and results file one unsharded run writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-shards-'));
    const at = (name: string) => join(dir, name);
    const whole = await mapekInProcess([
      ...SWEEP,
      '--json',
      at('whole.json'),
      '--junit',
      at('whole.xml'),
      '--results',
      at('whole.ndjson'),
    ]);
    const shards = [];
    for (const i of [1, 2, 3]) {
      shards.push(
        await mapekInProcess([...SWEEP, '--shard', `${i}/3`, '--results', at(`shard-${i}.ndjson`)]),
      );
    }

    const merged = await mapekInProcess([
      'merge',
      at('shard-3.ndjson'),
      at('shard-1.ndjson'),
      at('shard-2.ndjson'),
      '--json',
      at('merged.json'),
      '--junit',
      at('merged.xml'),
      '--results',
      at('merged.ndjson'),
    ]);

    // 8 runs round robin over 3 shards: 3, 3 and 2 runs each.
    const runsIn = (i: number) =>
      readFileSync(at(`shard-${i}.ndjson`), 'utf8')
        .trim()
        .split('\n').length - 1;
    expect([1, 2, 3].map(runsIn)).toEqual([3, 3, 2]);
    expect(merged.code).toBe(whole.code);
    expect(read(at('merged.json'))).toBe(read(at('whole.json')));
    expect(read(at('merged.xml'))).toBe(read(at('whole.xml')));
    expect(read(at('merged.ndjson'))).toBe(read(at('whole.ndjson')));
    expect(merged.stdout).toMatch(/merged 3 shards: 8 runs/);
  });

  it('refuses shards that do not make a whole sweep, naming what is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-shards-missing-'));
    const at = (name: string) => join(dir, name);
    for (const i of [1, 3])
      await mapekInProcess([...SWEEP, '--shard', `${i}/3`, '--results', at(`s${i}.ndjson`)]);

    const r = await mapekInProcess(['merge', at('s1.ndjson'), at('s3.ndjson'), '--json', at('m.json')]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shard 2\/3 missing/);
  });
});

describe('bench --shard i/n and mapek merge --bench', () => {
  it('folds 3 shards into the tables one unsharded bench writes, outside the wall block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-bench-shards-'));
    const bench = [
      'bench',
      '--workers',
      '1',
      '--no-throughput',
      '--no-learning',
      '--scenarios',
      'test/fixtures/two-crashes-noop.yaml',
      'test/fixtures/random-noop.yaml',
      '--policies',
      'noop',
      'restart-always',
      '--seeds',
      '2',
    ];
    await mapekInProcess([...bench, '--out', join(dir, 'whole')]);
    const shards = [1, 2, 3].map((i) => join(dir, 'shards', `bench-shard-${i}-of-3.json`));
    for (const i of [1, 2, 3])
      await mapekInProcess([...bench, '--shard', `${i}/3`, '--out', join(dir, 'shards')]);

    const r = await mapekInProcess(['merge', '--bench', join(dir, 'merged'), ...shards]);

    expect(r.code).toBe(0);
    const report = (sub: string) => {
      const { wall, command, ...rest } = JSON.parse(readFileSync(join(dir, sub, 'recovery.json'), 'utf8'));
      // The command names the directory it wrote to, and the two wrote to two.
      return { ...rest, command: command.replace(join(dir, sub), 'OUT') };
    };
    const tables = (sub: string) =>
      readFileSync(join(dir, sub, 'recovery.md'), 'utf8')
        .split('\n')
        .slice(3)
        .join('\n');
    expect(report('merged')).toEqual(report('whole'));
    expect(tables('merged')).toBe(tables('whole'));
  });
});
