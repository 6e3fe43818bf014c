import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { ServiceId } from '../../src/cluster/ids.ts';
import { initialPlacement } from '../../src/cluster/placement.ts';
import { CLUSTER_DEFAULTS, type ClusterSpec, type ServiceSpec } from '../../src/cluster/spec.ts';

const clusterOf = (count: number, cpuCores: number, services: readonly ServiceSpec[]): ClusterSpec => ({
  nodes: { count, cpuCores, memoryGb: 32, baseMemoryUse: 0.45, baseDiskUse: 0.5 },
  services,
  loadBalancer: CLUSTER_DEFAULTS.loadBalancer,
  sensors: CLUSTER_DEFAULTS.sensors,
  effectors: CLUSTER_DEFAULTS.effectors,
});

const service = (i: number, replicas: number, cpuPerReplica: number): ServiceSpec => ({
  name: `svc-${i}` as ServiceId,
  replicas,
  capacityRps: 100,
  latencyMs: 20,
  cpuPerReplica,
});

/**
 * The rule as the scheduler states it, written the straightforward way: for each replica in turn, scan every
 * node, summing its CPU in placement order; keep the one with the fewest replicas of the service, then the
 * fewest overall, then the lowest index, among those with CPU to spare.
 */
const reference = (spec: ClusterSpec): { placed: number[]; failed?: [number, number] } => {
  const held: ServiceSpec[][] = Array.from({ length: spec.nodes.count }, () => []);
  const placed: number[] = [];
  for (const [si, s] of spec.services.entries()) {
    for (let k = 0; k < s.replicas; k++) {
      let best = -1;
      let bestSame = 0;
      let bestTotal = 0;
      for (let i = 0; i < held.length; i++) {
        const on = held[i] ?? [];
        let used = 0;
        for (const r of on) used += r.cpuPerReplica;
        if (used + s.cpuPerReplica > spec.nodes.cpuCores + 1e-9) continue;
        const same = on.filter((r) => r.name === s.name).length;
        if (best < 0 || same < bestSame || (same === bestSame && on.length < bestTotal)) {
          best = i;
          bestSame = same;
          bestTotal = on.length;
        }
      }
      if (best < 0) return { placed, failed: [si, k] };
      held[best]?.push(s);
      placed.push(best);
    }
  }
  return { placed };
};

const fast = (spec: ClusterSpec): { placed: number[]; failed?: [number, number] } => {
  const r = initialPlacement(spec);
  if (r.ok) return { placed: [...r.value] };
  return { placed: [], failed: [spec.services.indexOf(r.error.service), r.error.replica] };
};

const CPU_SIZES = [0.1, 0.25, 0.3, 0.5, 1, 1.5, 2, 3];

describe('initial placement', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 24 }),
      fc.constantFrom(1, 2, 3.3, 4, 8),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(...CPU_SIZES)), {
        minLength: 1,
        maxLength: 8,
      }),
    ],
    { numRuns: 300 },
  )('makes the choices of the straightforward scan on random clusters', (nodes, cores, services) => {
    const spec = clusterOf(
      nodes,
      cores,
      services.map(([replicas, cpu], i) => service(i + 1, replicas, cpu)),
    );

    const got = fast(spec);
    const want = reference(spec);

    if (want.failed === undefined) expect(got).toEqual(want);
    else expect(got.failed).toEqual(want.failed);
  });

  it('spreads a service before doubling up, then fills the emptiest node first', () => {
    const spec = clusterOf(3, 8, [service(1, 2, 1), service(2, 4, 1)]);

    const got = initialPlacement(spec);

    expect(got.ok && [...got.value]).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('names the first replica that finds no CPU', () => {
    const spec = clusterOf(2, 2, [service(1, 3, 1), service(2, 2, 1)]);

    const got = initialPlacement(spec);

    expect(got.ok ? null : [got.error.service.name, got.error.replica]).toEqual(['svc-2', 1]);
  });

  it('places a replica on a node that fits it exactly, CPU summed in floating point', () => {
    // 0.1 + 0.1 + 0.1 is 0.30000000000000004: the slack lets the third replica fit 0.3 cores.
    const spec = clusterOf(1, 0.3, [service(1, 3, 0.1)]);

    const got = initialPlacement(spec);

    expect(got.ok && [...got.value]).toEqual([0, 0, 0]);
  });
});
