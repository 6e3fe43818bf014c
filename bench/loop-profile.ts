/**
 * Where the MAPE-K loop's time goes: the throughput world (24 h, 50 nodes, 10 s cycles) run `runs` times in
 * one process under the V8 sampling profiler, for no controller, the oracle and the loop, each in its own
 * child process. Prints milliseconds per run by part (src/bench/profile-attribution.ts): the loop's monitor
 * (its sample of the sensors, its beat), the coordinating statechart (XState's own code), the loop's phases
 * (analyze, plan, execute, knowledge), the garbage collector and the world. The first run is the cold one
 * (JIT warm-up); the others are averaged as "warm". Profiling slows a run by 10 to 20 %, so the parts are
 * for comparing with each other, not with `npm run bench`'s timings.
 *
 *   npx tsx bench/loop-profile.ts          # 4 runs per controller
 *   npx tsx bench/loop-profile.ts 8
 */
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { forkChild } from '../src/bench/fork-child.ts';
import {
  type Attribution,
  attributeProfile,
  type CpuProfile,
  noAttribution,
} from '../src/bench/profile-attribution.ts';
import { runThroughputCase } from '../src/bench/throughput.ts';

const PARTS = ['monitor', 'statechart', 'phases', 'gc', 'world'] as const;

/** One controller's profile: its cold run and the mean of the others, in ms per run by part. */
interface ProfiledCase {
  readonly policy: string;
  readonly cold: Attribution;
  readonly warm: Attribution;
}

const toMs = (a: Attribution, runs: number): Attribution => {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof Attribution)[]) out[k] = Math.round(a[k] / 1_000 / runs);
  return out;
};

const add = (a: Attribution, b: Attribution): Attribution => {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof Attribution)[]) out[k] = a[k] + b[k];
  return out;
};

/** In the child: profiles `runs` runs of the throughput world with `policy`. */
const profileHere = async (policy: string, runs: number): Promise<ProfiledCase> => {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  let cold: Attribution | undefined;
  let warm: Attribution | undefined;
  for (let i = 0; i < runs; i++) {
    await session.post('Profiler.start');
    runThroughputCase({ nodes: 50, hours: 24, policy });
    const { profile } = await session.post('Profiler.stop');
    const parts = attributeProfile(profile as CpuProfile);
    if (i === 0) cold = parts;
    else warm = warm === undefined ? parts : add(warm, parts);
  }
  session.disconnect();
  const none = noAttribution();
  return { policy, cold: toMs(cold ?? none, 1), warm: toMs(warm ?? none, Math.max(1, runs - 1)) };
};

const profileInChild = (policy: string, runs: number): Promise<ProfiledCase> =>
  new Promise((resolve, reject) => {
    const child = forkChild(new URL(import.meta.url), ['--child', policy, String(runs)]);
    let result: ProfiledCase | undefined;
    child.on('message', (m: ProfiledCase) => {
      result = m;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      result === undefined
        ? reject(new Error(`the ${policy} profile exited (code ${code})`))
        : resolve(result),
    );
  });

const row = (label: string, a: Attribution) => {
  const total = PARTS.reduce((s, p) => s + a[p], 0);
  return `${label.padEnd(14)}${PARTS.map((p) => String(a[p]).padStart(11)).join('')}${String(total).padStart(9)}`;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.send?.(await profileHere(args[1] ?? 'noop', Number(args[2] ?? 4)));
    process.disconnect?.();
  } else {
    const runs = Math.max(2, Number(args[0] ?? 4));
    console.log(`ms per run, 24 h x 50 nodes, ${runs} runs per controller (the first cold)`);
    console.log(`${''.padEnd(14)}${PARTS.map((p) => p.padStart(11)).join('')}${'total'.padStart(9)}`);
    for (const policy of ['noop', 'oracle', 'mapek']) {
      const c = await profileInChild(policy, runs);
      console.log(row(`${policy} cold`, c.cold));
      console.log(row(`${policy} warm`, c.warm));
    }
  }
}
