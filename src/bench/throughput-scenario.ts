import { type Scenario, scenarioSchema } from '../scenario/schema/scenario.ts';

/**
 * The simulator-throughput world: `nodes` identical nodes, about four replicas per node spread over services
 * of 20 replicas, a diurnal load at 60 % of capacity at peak, random chaos of every kind every 10 minutes
 * (about three minutes each), 10 s scrapes, and the given policy with its defaults (the MAPE-K loop: 10 s
 * cycles). The world issue 2 and 3 set their throughput goals on.
 */
export const throughputScenario = (nodes: number, hours: number, policy = 'noop'): Scenario => {
  const services = Math.max(2, Math.round((nodes * 4) / 20));
  return scenarioSchema.parse({
    name: `throughput-${nodes}-nodes`,
    duration: `${hours}h`,
    cluster: {
      nodes: { count: nodes, cpu: 8 },
      services: Array.from({ length: services }, (_, i) => ({
        name: `svc-${i + 1}`,
        replicas: 20,
        capacityRps: 100,
      })),
      sensors: { scrapeInterval: '10s' },
    },
    workload: Array.from({ length: services }, (_, i) => ({
      service: `svc-${i + 1}`,
      rps: 1_200,
      shape: 'diurnal',
    })),
    controller: { policy },
    faults: [
      {
        random: {
          meanInterval: '10m',
          kinds: {
            'node-crash': 1,
            'network-partition': 1,
            'resource-exhaustion': 1,
            'performance-degradation': 1,
          },
          maxConcurrent: 1_000,
          duration: { mean: '3m' },
        },
      },
    ],
  });
};
