import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.ts';
import type { CliIo } from '../../src/cli/cli-context.ts';
import { fakeIo } from '../support/cli-io.ts';
import { withoutWallClock } from '../support/wall-fields.ts';
import { mapekInProcess, ROOT } from './mapek-process.ts';

const SCENARIO = 'scenarios/memory-leak-oom.yaml';
const SEEDS = '1..16';

const linesOf = (path: string): string[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];

/** Spawns `mapek run` on the sources and sends SIGINT once its results file holds `runs` finished runs. */
const interruptAfter = (args: readonly string[], results: string, runs: number) =>
  new Promise<{ code: number | null; stderr: string; seen: number }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, MAPEK_POOL_AFTER_MS: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let seen = 0;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const poll = setInterval(() => {
      // The header line, then one line per finished run.
      seen = linesOf(results).length - 1;
      if (seen >= runs) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, stderr, seen });
    });
  });

describe('an interrupted sweep', () => {
  it('keeps its finished seeds, leaves no temporary file, exits 130, and --resume completes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-interrupt-'));
    const results = join(dir, 'runs.results.ndjson');
    const json = join(dir, 'runs.json');
    const junit = join(dir, 'runs.xml');
    const args = ['run', SCENARIO, '--seeds', SEEDS, '--workers', '2', '--json', json, '--junit', junit];

    const stopped = await interruptAfter(args, results, 1);

    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/stopped by SIGINT; the runs it finished are in .*--resume/);
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    // Only the results file: no journal, no JUnit, no temporary file.
    expect(readdirSync(dir)).toEqual(['runs.results.ndjson']);
    const kept = linesOf(results)
      .slice(1)
      .map((l) => JSON.parse(l) as { seed: number; journal: { seed: number } });
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(16);
    expect(kept.map((k) => k.seed)).toEqual(kept.map((_, i) => i + 1));
    expect(kept.every((k) => k.journal.seed === k.seed)).toBe(true);

    const resumed = await mapekInProcess([...args, '--workers', '1', '--resume']);
    const whole = join(dir, 'whole.json');
    const wholeJunit = join(dir, 'whole.xml');
    const uninterrupted = await mapekInProcess([
      'run',
      SCENARIO,
      '--seeds',
      SEEDS,
      '--workers',
      '1',
      '--json',
      whole,
      '--junit',
      wholeJunit,
    ]);

    expect(resumed.code).toBe(uninterrupted.code);
    expect(withoutWallClock(readFileSync(json, 'utf8'))).toBe(withoutWallClock(readFileSync(whole, 'utf8')));
    expect(withoutWallClock(readFileSync(junit, 'utf8'))).toBe(
      withoutWallClock(readFileSync(wholeJunit, 'utf8')),
    );
    expect(linesOf(results)).toHaveLength(17);
  });

  it('refuses to resume a results file of another sweep, and leaves it as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-resume-'));
    const results = join(dir, 'r.ndjson');
    await mapekInProcess(['run', 'test/fixtures/crash-noop.yaml', '--seeds', '1..2', '--results', results]);
    const before = readFileSync(results, 'utf8');

    const r = await mapekInProcess([
      'run',
      'test/fixtures/crash-noop.yaml',
      '--seeds',
      '1..3',
      '--results',
      results,
      '--resume',
    ]);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot resume from .*r\.ndjson: it holds a sweep of seeds 1\.\.2/);
    expect(readFileSync(results, 'utf8')).toBe(before);
  });
});

describe('a sweep stopped by SIGTERM, in process', () => {
  it('exits 143, keeps the finished runs and writes nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapek-sigterm-'));
    const results = join(dir, 'r.ndjson');
    let stop: ((signal: 'SIGINT' | 'SIGTERM') => void) | null = null;
    const { io, err } = fakeIo({ MAPEK_POOL_AFTER_MS: '0' });
    const watched: CliIo = {
      ...io,
      onStopSignal: (listener) => {
        stop = listener;
        return () => {
          stop = null;
        };
      },
    };
    // The pool leaves this thread free: the "signal" comes once the first run is in the file.
    const poll = setInterval(() => {
      if (linesOf(results).length >= 2) stop?.('SIGTERM');
    }, 10);

    const code = await runCli(
      [
        'node',
        'mapek',
        'run',
        SCENARIO,
        '--seeds',
        SEEDS,
        '--workers',
        '2',
        '--results',
        results,
        '--json',
        join(dir, 'j.json'),
      ],
      watched,
    );
    clearInterval(poll);

    expect(code).toBe(143);
    expect(err.join('')).toMatch(/stopped by SIGTERM/);
    expect(readdirSync(dir)).toEqual(['r.ndjson']);
    expect(linesOf(results).length).toBeGreaterThanOrEqual(2);
  });
});
