import type { RandomStream } from '../sim/random-streams.ts';

// The noise every scrape's readings get when they are read (node-exporter's, the replicas', the load
// balancer's): a pure function of the scrape's time, the entity and the field, so the value a reader sees is
// fixed by the scrape alone (src/cluster/monitoring.ts).

/**
 * The field number of each noised reading in the noise's counter space (with the scrape's time and the
 * entity's number: node index, replica slot, service index). Distinct, so no two readings share a value.
 */
export const FIELD = {
  nodeCpu: 0,
  nodeCpuOther: 1,
  nodeMemory: 2,
  nodeDisk: 3,
  rps: 4,
  errorRate: 5,
  latencyMs: 6,
  cpu: 7,
  offeredRps: 8,
  servedRps: 9,
  serviceErrorRate: 10,
  serviceLatencyMs: 11,
  goodputRps: 12,
  retryRps: 13,
  timeoutRps: 14,
  rejectedRps: 15,
  backlog: 16,
  latencyP50Ms: 17,
  latencyP95Ms: 18,
  latencyP99Ms: 19,
} as const;

/** Multiplicative Gaussian noise at one point, clamped to [0, max]: a reading is never negative. */
export const noisy = (
  noise: RandomStream,
  sd: number,
  value: number,
  max: number,
  t: number,
  entity: number,
  field: number,
): number => {
  if (sd <= 0 || value === 0) return value;
  return Math.min(max, Math.max(0, value * (1 + sd * noise.noiseAt(t, entity, field))));
};

/** Multiplicative noise from the flow stream at one point, clamped at 0 (no noise without that stream). */
export const flowNoisy = (
  n: RandomStream | null,
  sd: number,
  value: number,
  t: number,
  entity: number,
  field: number,
) => {
  if (n === null || sd <= 0 || value === 0) return Math.max(0, value);
  return Math.max(0, value * (1 + sd * n.noiseAt(t, entity, field)));
};
