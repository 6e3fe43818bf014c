import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type MapekRun, mapekInProcess as mapek } from './mapek-process.ts';

/** One node down is survivable, two at once are not, and the noop policy cannot help (see the fixture). */
const PLANTED = 'test/fixtures/two-crashes-noop.yaml';

let dir = '';
const out = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mapek-explore-'));
});

/** The violated SLO names in a console report (`✗ recovery: ...` lines). */
const violated = (stdout: string): string[] => [...stdout.matchAll(/✗ (\S+):/g)].map((m) => m[1] ?? '');

describe('mapek explore on a planted weakness', () => {
  let found: MapekRun;
  const file = () => out('planted.yaml');

  beforeAll(async () => {
    found = await mapek(['explore', PLANTED, '--seed', '7', '--runs', '100', '--out', file()]);
  });

  it('finds a violation, exits 1, and prints the fast-check seed and path that replay the search', () => {
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(
      /^explore {2}two-crashes-noop {2}policy noop {2}seed 1 {2}fast-check seed 7\n/,
    );
    expect(found.stdout).toMatch(
      /FAIL {2}counterexample after \d+ runs?, shrunk in \d+ steps? from \d+ faults to 2/,
    );
    expect(found.stdout).toMatch(/replay the search: {4}npx mapek explore \S+ --seed 7 --path \d+(:\d+)*/);
    expect(found.stderr).toBe('');
  });

  it('writes the shrunk schedule, at most the two faults needed, as an ordinary scenario file', () => {
    const written = parse(readFileSync(file(), 'utf8')) as { faults: { kind: string }[] };

    expect(written.faults.length).toBeLessThanOrEqual(2);
    expect(written.faults.length).toBe(2);
    expect(written.faults.every((f) => ['node-crash', 'network-partition'].includes(f.kind))).toBe(true);
  });

  it('replays to the same violation with mapek run', async () => {
    const replayed = await mapek(['run', file()]);

    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toMatch(
      /^FAIL {2}two-crashes-noop-counterexample {2}seed 1 {2}policy noop {2}faults 2/,
    );
    expect(violated(replayed.stdout)).toEqual(violated(found.stdout));
    expect(violated(found.stdout)).toEqual(['recovery']);
  });

  it('replays the search straight to the same counterexample with --seed and --path', async () => {
    const path = /--path (\S+)/.exec(found.stdout)?.[1] ?? '';

    const again = await mapek([
      'explore',
      PLANTED,
      '--seed',
      '7',
      '--path',
      path,
      '--out',
      out('again.yaml'),
    ]);

    expect(again.code).toBe(1);
    const body = (f: string) => readFileSync(f, 'utf8').replace(/^#.*\n/gm, '');
    expect(body(out('again.yaml'))).toBe(body(file()));
  });
});

const cli = mapek;

describe('mapek explore in-process', () => {
  it('exits 0 and writes nothing when no schedule in N runs violates an SLO', async () => {
    const target = out('none.yaml');

    const r = await cli([
      'explore',
      PLANTED,
      '--max-concurrent',
      '1',
      '--runs',
      '40',
      '--seed',
      '3',
      '--out',
      target,
    ]);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}no SLO violated in 40 runs/);
    expect(r.stdout).toMatch(
      /replay the search: npx mapek explore \S+ --seed 3 --runs 40 --max-concurrent 1/,
    );
    expect(existsSync(target)).toBe(false);
  });

  it('--help explains the budget, the seeds and the exit codes', async () => {
    const r = await cli(['explore', '--help']);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mapek explore \[options\] <scenario>/);
    expect(r.stdout).toMatch(/--runs <n>/);
    expect(r.stdout).toMatch(/Exit codes: 0 no counterexample in N runs, 1 a counterexample/);
  });

  it.each([
    [
      'a scenario file that does not validate',
      ['explore', 'test/fixtures/missing.yaml'],
      /missing\.yaml: cannot read the file/,
    ],
    [
      'a scenario without a random block or --max-faults',
      ['explore', 'test/fixtures/crash-noop.yaml'],
      /no `faults: \[\{ random/,
    ],
    [
      'an unknown fault kind',
      ['explore', PLANTED, '--kinds', 'node-crsh'],
      /unknown fault kind "node-crsh".*did you mean "node-crash"/,
    ],
    [
      '--path without --seed',
      ['explore', PLANTED, '--path', '1:2'],
      /--path replays a search and needs the --seed/,
    ],
    ['a malformed path', ['explore', PLANTED, '--seed', '1', '--path', 'x'], /expected a fast-check path/],
    ['zero runs', ['explore', PLANTED, '--runs', '0'], /expected a number of runs/],
    [
      'an unwritable output',
      ['explore', PLANTED, '--out', '/nonexistent-dir/x.yaml'],
      /cannot write \/nonexistent-dir\/x\.yaml/,
    ],
  ])('exits 2 on %s, without a stack', async (_label, args, message) => {
    const r = await cli(args);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a scenario that sets no SLO', async () => {
    const noSlo = out('no-slo.yaml');
    writeFileSync(noSlo, readFileSync(PLANTED, 'utf8').replace(/^slo:\n.*\n/m, ''));

    const r = await cli(['explore', noSlo]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sets no SLO/);
  });

  it('reports the file, line and field of an invalid scenario', async () => {
    const bad = out('bad.yaml');
    writeFileSync(bad, readFileSync(PLANTED, 'utf8').replace('meanInterval: 2m', 'meanInterval: -2m'));

    const r = await cli(['explore', bad]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: faults\[0\]\.random\.meanInterval: /);
  });
});
