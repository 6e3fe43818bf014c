import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMapek } from '../support/cli-io.ts';

const bench = (args: string[]) =>
  runMapek(['bench', '--workers', '1', '--no-learning', '--no-throughput', ...args]);

describe('mapek bench', () => {
  it('runs every policy on the same seeds, writes recovery.json and recovery.md, and prints the targets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-bench-'));

    const r = await bench([
      '--scenarios',
      'scenarios/single-node-crash.yaml',
      '--policies',
      'mapek',
      'oracle',
      'kubernetes',
      '--seeds',
      '2',
      '--out',
      dir,
    ]);

    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'recovery.json'), 'utf8'));
    expect(report.recovery.map((x: { policy: string; seeds: number }) => [x.policy, x.seeds])).toEqual([
      ['mapek', 2],
      ['oracle', 2],
      ['kubernetes', 2],
    ]);
    expect(readFileSync(join(dir, 'recovery.md'), 'utf8')).toContain('### single-node-crash');
    expect(r.out).toMatch(/^PASS {4}mttr-vs-oracle: single-node-crash: /m);
    expect(r.out).toMatch(/^NOT RUN loop-throughput/m);
  });

  it('refuses a scenario file that does not load, exit 2, before running anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-bench-'));

    const r = await bench(['--scenarios', 'test/fixtures/no-such-file.yaml', '--out', dir]);

    expect(r.code).toBe(2);
    expect(r.err).toContain('no-such-file.yaml');
  });

  it('refuses a scenario over the cost limit up front, with the same message as run and the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-bench-'));
    const scenario = join(dir, 'costly.yaml');
    writeFileSync(
      scenario,
      'name: costly\nduration: 24h\ncluster: { nodes: { count: 3 }, services: [ { name: api, replicas: 3, capacityRps: 400 } ] }\ncontroller: { policy: mapek, cycleInterval: 1ms, maxCycleTime: 1ms }\n',
    );
    const out = join(dir, 'out');

    const r = await bench(['--scenarios', scenario, '--out', out, '--seeds', '1']);

    expect([r.code, existsSync(join(out, 'recovery.json'))]).toEqual([2, false]);
    expect(r.err).toMatch(/costly\.yaml: estimated cost 5\.\d+e9 visits is over the limit of 3\.00e8/);
    expect(r.err).toContain('--no-cost-limit');
  });
});
