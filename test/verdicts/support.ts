import type { PolicyName } from '../../src/controllers/controller-spec.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { scenarioSchema } from '../../src/scenario/schema/scenario.ts';

/** Six nodes, two services of six replicas; load five nodes carry (losing one node is a blip). */
export const SIX_NODES = {
  nodes: { count: 6, memoryGb: 32, memoryUse: '45%' },
  services: [
    { name: 'api', replicas: 6, capacityRps: 400 },
    { name: 'orders', replicas: 6, capacityRps: 300 },
  ],
  sensors: { scrapeInterval: '5s' },
};
export const HEADROOM = [
  { service: 'api', rps: 1500 },
  { service: 'orders', rps: 1100 },
];

/** Crashes of `node` every `everyS` seconds from `firstS`, each rebooting itself after `down`. */
export const flaps = (node: string, firstS: number, everyS: number, n: number, down: string) =>
  Array.from({ length: n }, (_, i) => ({
    at: `${firstS + i * everyS}s`,
    kind: 'node-crash',
    target: node,
    duration: down,
  }));

/** Runs a scenario written as an object under `policy` at `seed`; throws on a build error. */
export const run = (input: Record<string, unknown>, policy: PolicyName, seed = 1) => {
  const scenario = scenarioSchema.parse({ name: 'verdict', ...input });
  const r = runScenario(scenario, { policy, seed });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** The SLO result of one name. */
export const sloOf = (r: ReturnType<typeof run>, name: string) => r.slos.find((s) => s.name === name);
