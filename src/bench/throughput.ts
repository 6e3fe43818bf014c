import { performance } from 'node:perf_hooks';
import { policyFactory } from '../controllers/registry.ts';
import { World } from '../world/world.ts';
import { forkChild } from './fork-child.ts';
import { throughputScenario } from './throughput-scenario.ts';

/** One simulator-throughput case: a cluster size, a simulated duration and a controller. */
export interface ThroughputCase {
  readonly nodes: number;
  readonly hours: number;
  readonly policy: string;
}

/** One measured run of a case. Wall-clock figures: how fast the simulator ran, never what it simulated. */
export interface ThroughputResult extends ThroughputCase {
  readonly wallMs: number;
  /**
   * CPU time the process spent over the same span (user + system, every thread, the garbage collector's
   * helpers too): more than the wall time when those run in parallel, less when the process waited for a core.
   */
  readonly cpuMs: number;
  /** Simulated time per wall time. */
  readonly speedup: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly faults: number;
  /** Peak resident memory of the process that ran the case, in MB. */
  readonly peakRssMb: number;
}

/** Runs one case in this process (seed 1) and measures it. */
export const runThroughputCase = ({ nodes, hours, policy }: ThroughputCase): ThroughputResult => {
  const scenario = throughputScenario(nodes, hours, policy);
  const built = World.create(scenario.world, { seed: 1 });
  if (!built.ok) throw new Error(built.error.message);
  const world = built.value;
  const factory = policyFactory(scenario.controller.policy, scenario.seed);
  world.attach(factory(scenario.controller, {}));
  const cpu = process.cpuUsage();
  const start = performance.now();
  world.runUntil(scenario.durationMs);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const outcome = world.outcome();
  return {
    nodes,
    hours,
    policy,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((used.user + used.system) / 1_000),
    speedup: Math.round(scenario.durationMs / wallMs),
    events: outcome.events,
    eventsPerSecond: Math.round(outcome.events / (wallMs / 1_000)),
    faults: outcome.faults.length,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
};

/**
 * Runs one case in a fresh child process, so its peak memory is its own and no JIT state is shared with
 * another case. Run cases one at a time: two at once on a 2-core machine would time each other.
 */
export const runThroughputCaseIsolated = (c: ThroughputCase): Promise<ThroughputResult> =>
  new Promise((resolve, reject) => {
    const child = forkChild(new URL('./throughput-child.ts', import.meta.url), [
      String(c.nodes),
      String(c.hours),
      c.policy,
    ]);
    let result: ThroughputResult | undefined;
    child.on('message', (m: ThroughputResult | { readonly error: string }) => {
      if ('error' in m) reject(new Error(m.error));
      else result = m;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result !== undefined) resolve(result);
      else
        reject(
          new Error(`the throughput case ${c.nodes} nodes ${c.hours} h ${c.policy} exited (code ${code})`),
        );
    });
  });
