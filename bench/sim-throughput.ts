/**
 * Simulator throughput: simulated time per wall second and events per second, with no controller attached
 * (a controller can be named). Each case runs in its own child process so its peak memory is its own.
 *
 *   npx tsx bench/sim-throughput.ts            # the cases: 50 and 1,000 nodes, 24 h
 *   npx tsx bench/sim-throughput.ts 200 24     # one case: nodes, hours
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { POLICIES } from '../src/policies/registry.ts';
import { World } from '../src/world/world.ts';
import { throughputScenario } from './workloads.ts';

/** One measured run. */
export interface ThroughputResult {
  readonly nodes: number;
  readonly hours: number;
  readonly policy: string;
  readonly wallMs: number;
  /** Simulated seconds per wall second. */
  readonly speedup: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly faults: number;
  readonly peakRssMb: number;
}

/** Runs one case in this process. */
export const runThroughputCase = (nodes: number, hours: number, policy = 'noop'): ThroughputResult => {
  const scenario = throughputScenario(nodes, hours, policy);
  const built = World.create(scenario.world, { seed: 1 });
  if (!built.ok) throw new Error(built.error.message);
  const world = built.value;
  const factory = POLICIES[scenario.controller.policy];
  if (factory === undefined) throw new Error(`policy ${policy} is not available`);
  world.attach(factory(scenario.controller, {}));
  const start = performance.now();
  world.runUntil(scenario.durationMs);
  const wallMs = performance.now() - start;
  const outcome = world.outcome();
  return {
    nodes,
    hours,
    policy,
    wallMs: Math.round(wallMs),
    speedup: Math.round(scenario.durationMs / wallMs),
    events: outcome.events,
    eventsPerSecond: Math.round(outcome.events / (wallMs / 1_000)),
    faults: outcome.faults.length,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
};

/** Runs one case in a fresh child process (clean peak memory, no JIT state shared between cases). */
export const runThroughputCaseIsolated = (
  nodes: number,
  hours: number,
  policy = 'noop',
): ThroughputResult => {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', self, '--child', String(nodes), String(hours), policy],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as ThroughputResult;
};

const main = () => {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(runThroughputCase(Number(args[1]), Number(args[2]), args[3])));
    return;
  }
  const cases: [number, number][] =
    args.length >= 2
      ? [[Number(args[0]), Number(args[1])]]
      : [
          [50, 24],
          [1_000, 24],
        ];
  for (const [nodes, hours] of cases) {
    const r = runThroughputCaseIsolated(nodes, hours);
    console.log(
      `${String(r.nodes).padStart(5)} nodes ${r.hours} h: ${r.wallMs} ms wall, ${r.speedup.toLocaleString('en')}x real time, ` +
        `${r.events.toLocaleString('en')} events (${r.eventsPerSecond.toLocaleString('en')}/s), ${r.faults} faults, peak ${r.peakRssMb} MB`,
    );
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
