/**
 * Cluster setup time: building a 20,000-node cluster with 10,000 replicas (1,000 services of 10, one of them
 * stateful in ten), and a whole 10,000-node world (the throughput scenario's: about four replicas per node).
 * Placement is the part that grows: it must stay O(replicas log nodes). Target: each under 1 s.
 *
 *   npx tsx bench/cluster-setup.ts                 # both cases
 *   npx tsx bench/cluster-setup.ts 40000 20000     # a cluster of that many nodes and replicas
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { throughputScenario } from '../src/bench/throughput-scenario.ts';
import { Cluster } from '../src/cluster/cluster.ts';
import { scenarioSchema } from '../src/scenario/schema/scenario.ts';
import { SimKernel } from '../src/sim/kernel.ts';
import { Trace } from '../src/sim/trace.ts';
import { World } from '../src/world/world.ts';

const time = (run: () => void): number => {
  const start = performance.now();
  run();
  return Math.round(performance.now() - start);
};

/** Builds a bare cluster of `nodes` nodes and `replicas` replicas in services of ten. */
const clusterCase = (nodes: number, replicas: number): number => {
  const scenario = scenarioSchema.parse({
    name: 'cluster-setup',
    duration: '1h',
    cluster: {
      nodes: { count: nodes, cpu: 8 },
      services: Array.from({ length: Math.ceil(replicas / 10) }, (_, i) => ({
        name: `svc-${i + 1}`,
        replicas: 10,
        capacityRps: 100,
        ...(i % 10 === 0 ? { stateful: { replication: 'async' } } : {}),
      })),
    },
  });
  return time(() => {
    const kernel = new SimKernel();
    const built = Cluster.create(
      scenario.world.cluster,
      kernel,
      new Trace(false),
      scenario.world.measurement,
    );
    if (!built.ok) throw new Error(built.error.message);
  });
};

const worldCase = (nodes: number): number => {
  const scenario = throughputScenario(nodes, 1);
  return time(() => {
    const built = World.create(scenario.world, { seed: 1 });
    if (!built.ok) throw new Error(built.error.message);
  });
};

const main = () => {
  const args = process.argv.slice(2).map(Number);
  const [nodes = 20_000, replicas = 10_000] = args;
  console.log(`cluster ${nodes} nodes, ${replicas} replicas: ${clusterCase(nodes, replicas)} ms`);
  if (args.length === 0) console.log(`world 10000 nodes (throughput scenario): ${worldCase(10_000)} ms`);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
