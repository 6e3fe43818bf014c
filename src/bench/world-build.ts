import { performance } from 'node:perf_hooks';
import { World } from '../world/world.ts';
import { forkChild } from './fork-child.ts';
import { throughputScenario } from './throughput-scenario.ts';

/** Issue 17's world-build case: the throughput world at this many nodes, built (placement included). */
export const WORLD_BUILD_NODES = 10_000;

/** How long building one world took. Wall-clock figures: how fast the simulator ran, never what it built. */
export interface WorldBuild {
  readonly nodes: number;
  readonly replicas: number;
  /** `World.create`: the cluster, its placement, the sensors, the chaos schedule checked. */
  readonly buildMs: number;
}

/** Builds the throughput world of `nodes` nodes in this process (seed 1) and times it. */
export const measureWorldBuild = (nodes: number): WorldBuild => {
  const scenario = throughputScenario(nodes, 1);
  const start = performance.now();
  const built = World.create(scenario.world, { seed: 1 });
  const buildMs = performance.now() - start;
  if (!built.ok) throw new Error(built.error.message);
  const replicas = built.value.cluster.services.reduce((n, s) => n + s.replicas.length, 0);
  return { nodes, replicas, buildMs: Math.round(buildMs) };
};

/** Builds it in a fresh child process, cold, as a user's first `mapek run` of such a world would. */
export const measureWorldBuildIsolated = (nodes: number): Promise<WorldBuild> =>
  new Promise((resolve, reject) => {
    const child = forkChild(new URL('./world-build-child.ts', import.meta.url), [String(nodes)]);
    let result: WorldBuild | undefined;
    child.on('message', (m: WorldBuild | { readonly error: string }) => {
      if ('error' in m) reject(new Error(m.error));
      else result = m;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`the world-build case of ${nodes} nodes exited (code ${code})`));
    });
  });
