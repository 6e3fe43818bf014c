import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** A `mapek` command timed as a user runs it: a whole, cold process from start to exit. */
export interface CommandCase {
  /** What the figures derived from it look it up by: `scenario-loop`, `sweep-2`. */
  readonly id: string;
  /** What the row says: `24 h scenario, the loop`. */
  readonly label: string;
  /** The arguments after `mapek`, paths relative to the package root. */
  readonly args: readonly string[];
}

/** One timed run of a command. Wall-clock figures only: what it computed is the runs' business. */
export interface CommandTiming extends CommandCase {
  /** Start to exit, process start-up, module loading and JIT warm-up included. */
  readonly wallMs: number;
  /** The process's CPU time (user + system, every thread: the worker pool's too). */
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly exitCode: number;
  /** `dist`: the compiled `bin/mapek.js` a user runs; `tsx`: the sources (no `npm run build` yet). */
  readonly runs: 'dist' | 'tsx';
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/mapek.js', import.meta.url));
const DIST_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SRC_MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

/**
 * Loaded first in the timed process (`--import`): at exit it writes the process's own resource usage to
 * file descriptor 3, every thread included, which a parent cannot read of a child in Node.
 */
const USAGE_HOOK =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const r=process.resourceUsage();' +
  'writeSync(3,JSON.stringify({cpuMs:(r.userCPUTime+r.systemCPUTime)/1e3,maxRssKb:r.maxRSS}))})';

/**
 * Runs `mapek <args>` in a fresh process from the package root (the compiled CLI when `npm run build` has
 * made it, else the sources through tsx) with its output discarded, and times it. Run cases one at a time:
 * two at once would time each other.
 */
export const timeCommand = (c: CommandCase): Promise<CommandTiming> => {
  const compiled = existsSync(DIST_MAIN);
  const argv = compiled
    ? ['--import', USAGE_HOOK, BIN, ...c.args]
    : ['--import', import.meta.resolve('tsx'), '--import', USAGE_HOOK, SRC_MAIN, ...c.args];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    let usage = '';
    child.stdio[3]?.on('data', (d: Buffer) => {
      usage += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      try {
        const u = JSON.parse(usage) as { cpuMs: number; maxRssKb: number };
        resolve({
          ...c,
          wallMs: Math.round(wallMs),
          cpuMs: Math.round(u.cpuMs),
          peakRssMb: Math.round(u.maxRssKb / 1024),
          exitCode: code ?? -1,
          runs: compiled ? 'dist' : 'tsx',
        });
      } catch {
        reject(
          new Error(`mapek ${c.args.join(' ')} exited (code ${code}) without reporting its resource usage`),
        );
      }
    });
  });
};
