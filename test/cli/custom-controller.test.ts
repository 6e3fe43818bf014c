import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMapek } from '../support/cli-io.ts';

const EXAMPLE = 'docs/examples/heartbeat-restart.js';
const tmp = () => mkdtempSync(join(tmpdir(), 'mapek-custom-'));

describe('a user controller module', () => {
  it('runs from --policy, records the path as given in the journal, and replays the same', async () => {
    const dir = tmp();
    const journal = join(dir, 'run.json');

    const run = await runMapek([
      'run',
      'scenarios/single-node-crash.yaml',
      '--policy',
      EXAMPLE,
      '--json',
      journal,
    ]);
    const replay = await runMapek(['replay', journal]);

    expect(run.err).toBe('');
    expect(run.out).toContain(`policy ${EXAMPLE}`);
    expect(run.out).toMatch(/MTTD p50 5s/);
    const recorded = JSON.parse(readFileSync(journal, 'utf8'));
    expect(recorded.policy).toBe(EXAMPLE);
    expect(recorded.controller.cycles).toBeGreaterThan(0);
    expect(replay.out).toMatch(/^SAME /m);
    expect(replay.code).toBe(0);
  });

  it('loads controller.module relative to the scenario file', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'idle.mjs'),
      'export default () => { let n = 0; return { name: "idle", start() { n++; }, summary: () => ({ cycles: n }) }; };\n',
    );
    const scenario = readFileSync('scenarios/single-node-crash.yaml', 'utf8').replace(
      'policy: mapek',
      'module: ./idle.mjs',
    );
    writeFileSync(join(dir, 'crash.yaml'), scenario);
    const journal = join(dir, 'run.json');

    const r = await runMapek(['run', join(dir, 'crash.yaml'), '--json', journal]);

    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(journal, 'utf8')).policy).toBe('./idle.mjs');
  });

  it('explores a scenario whose controller is a module, to a counterexample that replays with it', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'explored.mjs'),
      'export default () => { let n = 0; return { name: "explored", start() { n++; }, summary: () => ({ cycles: n }) }; };\n',
    );
    const scenario = readFileSync('scenarios/single-node-crash.yaml', 'utf8').replace(
      'policy: mapek',
      'module: ./explored.mjs',
    );
    writeFileSync(join(dir, 'crash.yaml'), scenario);
    const out = join(dir, 'cx.yaml');

    const explore = await runMapek([
      'explore',
      join(dir, 'crash.yaml'),
      '--runs',
      '30',
      '--max-faults',
      '2',
      '--seed',
      '1',
      '--out',
      out,
    ]);
    const replay = await runMapek(['run', out]);

    expect(explore.err).toBe('');
    expect(explore.code).toBe(1);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain('policy ./explored.mjs');
  });

  it('explores with --policy naming a module, to a counterexample that pins the module and replays', async () => {
    const dir = tmp();
    const out = join(dir, 'cx.yaml');

    const explore = await runMapek([
      'explore',
      'scenarios/single-node-crash.yaml',
      '--policy',
      'docs/examples/heartbeat-restart.js',
      '--runs',
      '30',
      '--max-faults',
      '2',
      '--seed',
      '1',
      '--out',
      out,
    ]);
    const replay = await runMapek(['run', out]);

    // Pinned by its absolute path: the counterexample may be written anywhere, and resolves its module itself.
    const module = resolve('docs/examples/heartbeat-restart.js');
    expect(explore.err).toBe('');
    expect(explore.code).toBe(1);
    expect(explore.out).toContain(`policy ${module}`);
    expect(readFileSync(out, 'utf8')).toContain(`module: ${module}`);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain(`policy ${module}`);
  });

  it.each([
    ['module: ./policy.ts', /controller\.module.*\.js or \.mjs/],
    ['policy: noop\n  module: ./policy.js', /give either policy or module, not both/],
  ])('refuses a scenario with %s, at its line, exit 2', async (block, message) => {
    const dir = tmp();
    const scenario = readFileSync('scenarios/single-node-crash.yaml', 'utf8').replace('policy: mapek', block);
    writeFileSync(join(dir, 'crash.yaml'), scenario);

    const r = await runMapek(['run', join(dir, 'crash.yaml')]);

    expect(r.code).toBe(2);
    expect(r.err).toMatch(/crash\.yaml:2\d:\d+: /);
    expect(r.err).toMatch(message);
  });

  it.each([
    ['a missing file', 'no-such-policy.js', null, /no such controller module/],
    [
      'a module that throws on import',
      'throws.mjs',
      'throw new Error("boom");\n',
      /importing it failed: boom/,
    ],
    [
      'a module without a factory',
      'number.mjs',
      'export default 42;\n',
      /default export must be a controller factory/,
    ],
    ['a factory that builds no controller', 'empty.mjs', 'export default () => ({});\n', /no `name` string/],
    [
      'a controller with an unknown load balancer membership',
      'membership.mjs',
      'export default () => ({ name: "x", start() {}, lbMembership: "dns" });\n',
      /`lbMembership` is neither 'active-health-checks' nor 'endpoints'/,
    ],
  ])('refuses %s: exit 2, one line, no stack', async (_what, name, body, message) => {
    const dir = tmp();
    if (body !== null) writeFileSync(join(dir, name), body);

    const r = await runMapek(['run', 'scenarios/single-node-crash.yaml', '--policy', join(dir, name)]);

    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });

  it('runs in mapek bench beside a built-in policy, in worker threads', async () => {
    const dir = tmp();

    const r = await runMapek([
      'bench',
      '--workers',
      '2',
      '--no-learning',
      '--no-throughput',
      '--scenarios',
      'scenarios/single-node-crash.yaml',
      '--policies',
      'noop',
      EXAMPLE,
      '--seeds',
      '2',
      '--out',
      dir,
    ]);

    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'recovery.json'), 'utf8'));
    expect(report.recovery.map((x: { policy: string; seeds: number }) => [x.policy, x.seeds])).toEqual([
      ['noop', 2],
      [EXAMPLE, 2],
    ]);
  });
});
