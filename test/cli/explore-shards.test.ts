import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutWallClock } from '../support/wall-fields.ts';
import { type MapekRun, mapekInProcess as mapek } from './mapek-process.ts';

/** One node down is survivable, two at once are not, and the noop policy cannot help (see the fixture). */
const PLANTED = 'test/fixtures/two-crashes-noop.yaml';
/** fast-check seed 21 fails on its 3rd candidate: the third shard of three holds it. */
const BASE = ['explore', PLANTED, '--seed', '21'];
const SEARCH = [...BASE, '--runs', '100', '--workers', '1'];

const fresh = () => mkdtempSync(join(tmpdir(), 'mapek-explore-shards-'));

/** The shards 1..n of a search, each written to `<dir>/shard-i.json`. */
const shardsOf = async (args: readonly string[], dir: string, n: number): Promise<MapekRun[]> => {
  const runs: MapekRun[] = [];
  for (let i = 1; i <= n; i++) {
    runs.push(await mapek([...args, '--shard', `${i}/${n}`, '--out', join(dir, `shard-${i}.json`)]));
  }
  return runs;
};

describe('explore --shard i/n and mapek merge', () => {
  let whole: MapekRun;
  let merged: MapekRun;
  let shards: MapekRun[];
  const wholeDir = fresh();
  const shardDir = fresh();

  beforeAll(async () => {
    whole = await mapek([...SEARCH, '--out', join(wholeDir, 'cx.yaml')]);
    shards = await shardsOf(SEARCH, shardDir, 3);
    merged = await mapek([
      'merge',
      join(shardDir, 'shard-2.json'),
      join(shardDir, 'shard-3.json'),
      join(shardDir, 'shard-1.json'),
      '--counterexample',
      join(shardDir, 'cx.yaml'),
    ]);
  });

  it('writes a shard file per shard and no counterexample, exiting 1 where the shard found one', () => {
    expect(shards.map((s) => s.code)).toEqual([1, 1, 1]);
    expect(shards.map((s) => /FAIL {2}shard (\d)\/3/.exec(s.stdout)?.[1])).toEqual(['1', '2', '3']);
    expect([1, 2, 3].every((i) => existsSync(join(shardDir, `shard-${i}.json`)))).toBe(true);
    expect(existsSync(join(shardDir, 'cx.yaml.tmp'))).toBe(false);
  });

  it('merges, in whatever order, into the counterexample file the unsharded search writes, byte for byte', () => {
    const file = (dir: string) => readFileSync(join(dir, 'cx.yaml'), 'utf8').replaceAll(dir, '<dir>');

    expect(merged.code).toBe(whole.code);
    expect(merged.code).toBe(1);
    expect(file(shardDir)).toBe(file(wholeDir));
  });

  it('prints the unsharded verdict: the same runs to failure, shrinks, SLOs and replay command', () => {
    const verdict = (r: MapekRun, dir: string) =>
      r.stdout
        .replaceAll(dir, '<dir>')
        .split('\n')
        .slice(r === merged ? 1 : 2)
        .join('\n')
        .replace(/ {2}\[[\d.]+s\]/, '');

    expect(verdict(merged, shardDir)).toBe(verdict(whole, wholeDir));
  });

  it('gives the same shard file with 2 workers as with 1 (wall clock aside)', async () => {
    const dir = fresh();
    await mapek([
      ...BASE,
      '--runs',
      '100',
      '--workers',
      '2',
      '--shard',
      '3/3',
      '--out',
      join(dir, 'w2.json'),
    ]);

    const read = (path: string) => withoutWallClock(readFileSync(path, 'utf8'));

    expect(read(join(dir, 'w2.json'))).toBe(read(join(shardDir, 'shard-3.json')));
  });
});

describe('a sharded search that finds nothing', () => {
  it('merges into a pass of every run, exit 0, and writes no counterexample', async () => {
    const dir = fresh();
    const args = [...BASE, '--runs', '30', '--max-concurrent', '1', '--workers', '1'];
    const whole = await mapek(args);
    const shards = await shardsOf(args, dir, 2);

    const merged = await mapek(['merge', join(dir, 'shard-1.json'), join(dir, 'shard-2.json')]);

    expect(shards.map((s) => s.code)).toEqual([0, 0]);
    expect(merged.code).toBe(0);
    expect(whole.code).toBe(0);
    const pass = (r: MapekRun) =>
      r.stdout
        .split('\n')
        .filter((l) => /PASS|replay/.test(l))
        .join('\n')
        .replace(/ {2}\[[\d.]+s\]/, '');
    expect(pass(merged)).toBe(pass(whole));
    expect(existsSync('two-crashes-noop.counterexample.yaml')).toBe(false);
  });
});

describe('what a sharded search refuses', () => {
  it('will not merge a shard file that was cut or edited by hand', async () => {
    const file = join(fresh(), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'mapek-explore-shard', version: 1, shard: { index: 1, count: 1 } }),
    );

    const r = await mapek(['merge', file]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lacks its shard, search or result/);
  });

  it('needs --seed, so every shard meets the same candidates', async () => {
    const r = await mapek(['explore', PLANTED, '--shard', '1/2', '--out', join(fresh(), 'x.json')]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard needs --seed/);
  });

  it('will not merge a search with a shard missing, or shards of two searches', async () => {
    const dir = fresh();
    await shardsOf([...BASE, '--runs', '6', '--workers', '1'], dir, 3);
    await mapek([
      ...SEARCH.slice(0, 3),
      '22',
      '--runs',
      '6',
      '--workers',
      '1',
      '--shard',
      '3/3',
      '--out',
      join(dir, 'other.json'),
    ]);

    const missing = await mapek(['merge', join(dir, 'shard-1.json'), join(dir, 'shard-2.json')]);
    const mixed = await mapek([
      'merge',
      join(dir, 'shard-1.json'),
      join(dir, 'shard-2.json'),
      join(dir, 'other.json'),
    ]);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 3\/3 missing/);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/another search/);
  });
});
