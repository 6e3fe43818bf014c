import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the tarball installed
// into a fresh project with no tsx, and that project using mapek four ways. One install serves every check.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./consumer/', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string }>;
};
/** A dependency at the version this repository's lockfile pins (and its golden hashes were made with). */
const locked = (name: string): string =>
  `${name}@${lock.packages[`node_modules/${name}`]?.version ?? 'latest'}`;
const golden = JSON.parse(readFileSync(join(ROOT, 'test/golden/trace-hashes.json'), 'utf8')) as Record<
  string,
  string
>;

interface Done {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const sh = (cmd: string, args: readonly string[], cwd: string, timeoutMs = 240_000): Promise<Done> =>
  new Promise((resolve) => {
    execFile(
      cmd,
      [...args],
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** Fails with the command's own output, so a broken install says why. */
const ok = (r: Done, what: string): Done => {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};

interface Packed {
  readonly filename: string;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string }[];
}

let work = '';
let consumer = '';
let packed: Packed;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mapek-package-'));
  consumer = join(work, 'consumer');
  const pack = ok(await sh('npm', ['pack', '--json', '--pack-destination', work], ROOT), 'npm pack');
  const [first] = JSON.parse(pack.stdout) as Packed[];
  if (first === undefined) throw new Error(`npm pack printed no package: ${pack.stdout}`);
  packed = first;

  cpSync(FIXTURES, consumer, { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'mapek-consumer', private: true, type: 'module' }, null, 2),
  );
  // The consumer's own tools, and mapek's dependencies, at the versions this repository pins, so the trace
  // hash below is the golden one whatever the registry published since; from the local cache when it can.
  const tools = [...Object.keys(pkg.dependencies), 'typescript', 'vitest', '@fast-check/vitest'].map(locked);
  ok(
    await sh(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        join(work, packed.filename),
        ...tools,
      ],
      consumer,
    ),
    'npm install',
  );
}, 600_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the compiled package, scenarios, docs, README and LICENSE, and nothing of the repository', () => {
    const paths = packed.files.map((f) => f.path);

    expect(paths).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'bin/mapek.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/index.js.map',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
        'dist/scenario.schema.json',
        'scenarios/single-node-crash.yaml',
        'docs/scenarios.md',
      ]),
    );
    const outside = paths.filter((p) => !/^(dist|scenarios|bench\/scenarios|docs|bin)\//.test(p));
    expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs into a project without tsx', () => {
    expect(existsSync(join(consumer, 'node_modules', 'mapek', 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', 'tsx'))).toBe(false);
  });
});

// Concurrent: each check is a process of its own, mostly waiting on Node's start-up.
describe.concurrent('a project that installed the tarball', () => {
  it('runs a bundled scenario from a plain Node ESM script, with the same trace as the sources', async () => {
    const r = ok(await sh(process.execPath, ['run-scenario.mjs'], consumer), 'node run-scenario.mjs');

    expect(JSON.parse(r.stdout)).toEqual({
      verdict: 'pass',
      traceHash: golden['single-node-crash.yaml@1'],
    });
  });

  it.runIf(process.features.require_module === true)(
    'loads both entry points with require() where Node has require(esm)',
    async () => {
      const r = ok(await sh(process.execPath, ['require.cjs'], consumer), 'node require.cjs');

      expect(JSON.parse(r.stdout)).toEqual(['function', 'function']);
    },
  );

  it('typechecks a TypeScript consumer with module node16 and skipLibCheck false', async () => {
    const tsc = join(consumer, 'node_modules', 'typescript', 'bin', 'tsc');

    const r = await sh(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], consumer);

    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.code).toBe(0);
  });

  it('answers `npx mapek --version` from the compiled CLI', async () => {
    const r = ok(await sh('npx', ['--no-install', 'mapek', '--version'], consumer), 'npx mapek --version');

    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('runs its own controller module through the installed CLI (`--policy ./my-policy.mjs`)', async () => {
    const scenario = join('node_modules', 'mapek', 'scenarios', 'single-node-crash.yaml');

    const r = await sh(
      'npx',
      ['--no-install', 'mapek', 'run', scenario, '--policy', './my-policy.mjs'],
      consumer,
    );

    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('policy ./my-policy.mjs');
  });

  it('runs its own vitest property test importing mapek/testing', async () => {
    const vitest = join(consumer, 'node_modules', 'vitest', 'vitest.mjs');

    const r = await sh(process.execPath, [vitest, 'run', '--testTimeout=120000'], consumer);

    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/1 passed/);
  });
});
