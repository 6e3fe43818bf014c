import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './mapek-process.ts';

const DIST = pathToFileURL(join(ROOT, 'dist')).href;

/** What one `node bin/mapek.js ...args` did: its exit code and the URL of every module it loaded. */
interface Loaded {
  readonly code: number;
  readonly stderr: string;
  readonly modules: readonly string[];
}

/**
 * Runs the compiled CLI (dist/, as `npm run build` writes it: the suite runs after a build, as
 * test/properties does; without it the command says so on stderr) with V8 coverage on, and reads from the
 * coverage which modules the process loaded.
 */
const startMapek = async (args: readonly string[]): Promise<Loaded> => {
  const dir = mkdtempSync(join(tmpdir(), 'mapek-modules-'));
  try {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/mapek.js', ...args],
        { cwd: ROOT, env: { ...process.env, NODE_V8_COVERAGE: dir }, timeout: 60_000 },
        (error, _stdout, stderr) => {
          resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr });
        },
      );
    });
    const modules = new Set<string>();
    for (const file of readdirSync(dir)) {
      const coverage = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { result: { url: string }[] };
      for (const { url } of coverage.result) if (url.startsWith('file:')) modules.add(url);
    }
    return { code, stderr, modules: [...modules].sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** The code only `bench`, `explore` and sweeps on workers need, and the progress bars of a terminal. */
const HEAVY = [
  `${DIST}/bench/`,
  `${DIST}/testing/`,
  '/node_modules/fast-check/',
  '/node_modules/pure-rand/',
  '/node_modules/piscina/',
  '/node_modules/cli-progress/',
];

/** The simulator and the scenario loader: what running a scenario needs, and printing help does not. */
const SIMULATOR = [
  `${DIST}/sim/`,
  `${DIST}/cluster/`,
  `${DIST}/mapek/`,
  `${DIST}/scenario/loader.js`,
  '/node_modules/zod/',
  '/node_modules/yaml/',
  '/node_modules/xstate/',
];

const under = (modules: readonly string[], prefixes: readonly string[]): string[] =>
  modules.filter((m) => prefixes.some((p) => m.includes(p)));

describe('what a mapek command loads', () => {
  it.each([
    ['a single run', ['run', 'scenarios/single-node-crash.yaml']],
    ['a sweep of one seed', ['run', 'scenarios/single-node-crash.yaml', '--seeds', '3..3']],
    [
      'a sweep on one worker',
      ['run', 'scenarios/single-node-crash.yaml', '--seeds', '1..2', '--workers', '1'],
    ],
  ])(
    '%s loads none of bench, explore, fast-check, the worker pool, or (off a terminal) the progress bars',
    async (_, args) => {
      const loaded = await startMapek(args);

      expect(loaded.stderr).toBe('');
      expect(loaded.code).toBe(0);
      expect(loaded.modules).toContain(`${DIST}/cli/run-action.js`);
      expect(under(loaded.modules, HEAVY)).toEqual([]);
    },
  );

  it('`run --help` loads no part of the simulator or the scenario loader', async () => {
    const loaded = await startMapek(['run', '--help']);

    expect(loaded.code).toBe(0);
    expect(loaded.modules).toContain(`${DIST}/cli/commands/run.js`);
    expect(under(loaded.modules, [...HEAVY, ...SIMULATOR])).toEqual([]);
  });
});
