import type { Millis } from '../base/duration.ts';

/** A resource fault's effect on one node, as the chaos injector applies it. */
export type NodeEffect =
  | { readonly resource: 'cpu'; readonly level: number }
  | {
      readonly resource: 'memory';
      readonly level: number;
      readonly leakPerMs: number;
      readonly sinceMs: Millis;
    }
  | { readonly resource: 'disk'; readonly level: number }
  | { readonly resource: 'performance'; readonly latencyFactor: number; readonly capacityFactor: number };

/** How a node serves, derived from its active effects and limits. */
export interface NodeCondition {
  /** Multiplier on each replica's capacity (0 = serves nothing). */
  readonly capacityFactor: number;
  /** Multiplier on each replica's service time. */
  readonly latencyFactor: number;
  /** Fraction of CPU taken by something other than the replicas. */
  readonly cpuHog: number;
  /** Memory in use as a fraction of the node's current limit, at the time asked. */
  readonly memoryUse: number;
  readonly diskUse: number;
  /** When memory use next crosses a pressure band (a leak), or Infinity. */
  readonly nextBandAtMs: Millis;
}

/**
 * Memory pressure bands, as data: above each threshold the node slows down, at 1.0 the kernel's OOM killer
 * takes the node down. Bands keep the fluid state piecewise constant while a leak ramps linearly.
 */
export const MEMORY_BANDS: readonly {
  readonly from: number;
  readonly capacity: number;
  readonly latency: number;
}[] = [
  { from: 0, capacity: 1, latency: 1 },
  { from: 0.85, capacity: 0.8, latency: 1.5 },
  { from: 0.95, capacity: 0.4, latency: 4 },
];

/** Memory use at or above this fraction is an out-of-memory crash. */
export const OOM_THRESHOLD = 1;
/** Disk use at or above this fraction makes every request on the node fail (a gray failure: health checks pass). */
export const DISK_FULL_THRESHOLD = 0.98;

/** Band edges are compared with this slack: a leak computed to land on an edge must count as on it. */
const EDGE_EPSILON = 1e-9;

const bandOf = (use: number) => {
  let band = MEMORY_BANDS[0] as (typeof MEMORY_BANDS)[number];
  for (const b of MEMORY_BANDS) if (use + EDGE_EPSILON >= b.from) band = b;
  return band;
};

/** Whether memory use has reached the out-of-memory threshold. */
export const isOutOfMemory = (use: number): boolean => use + EDGE_EPSILON >= OOM_THRESHOLD;

/** Node limits that `raise-limit` can grow, as multiples of the configured size. */
export interface NodeLimits {
  readonly memoryFactor: number;
  readonly diskFactor: number;
}

/** Derives a node's condition at `nowMs` from its baseline, active effects and limits. */
export const nodeCondition = (
  baseMemoryUse: number,
  baseDiskUse: number,
  effects: Iterable<NodeEffect>,
  limits: NodeLimits,
  nowMs: Millis,
): NodeCondition => {
  let cpuHog = 0;
  let memory = baseMemoryUse;
  let leakPerMs = 0;
  let disk = baseDiskUse;
  let perfCapacity = 1;
  let perfLatency = 1;
  for (const e of effects) {
    switch (e.resource) {
      case 'cpu':
        cpuHog = Math.max(cpuHog, e.level);
        break;
      case 'memory':
        memory = Math.max(memory, e.level) + e.leakPerMs * (nowMs - e.sinceMs);
        leakPerMs += e.leakPerMs;
        break;
      case 'disk':
        disk = Math.max(disk, e.level);
        break;
      case 'performance':
        perfCapacity *= e.capacityFactor;
        perfLatency *= e.latencyFactor;
        break;
    }
  }
  const memoryUse = memory / limits.memoryFactor;
  const diskUse = disk / limits.diskFactor;
  const band = bandOf(memoryUse);
  let nextBandAtMs = Number.POSITIVE_INFINITY;
  if (leakPerMs > 0) {
    const next = [...MEMORY_BANDS.map((b) => b.from), OOM_THRESHOLD].find(
      (from) => from > memoryUse + EDGE_EPSILON,
    );
    if (next !== undefined) {
      // Floating-point error must not push an edge a millisecond late.
      const ms = ((next - memoryUse) * limits.memoryFactor) / leakPerMs;
      nextBandAtMs = nowMs + Math.max(1, Math.ceil(ms - 1e-3));
    }
  }
  const diskFull = diskUse >= DISK_FULL_THRESHOLD;
  return {
    capacityFactor: diskFull ? 0 : Math.max(0, 1 - cpuHog) * band.capacity * perfCapacity,
    latencyFactor: band.latency * perfLatency,
    cpuHog,
    memoryUse,
    diskUse,
    nextBandAtMs,
  };
};
