import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import type { ReplicaRole } from '../cluster/runtime/states.ts';
import type { Sensors } from '../cluster/sensors.ts';
import type { MapekConfig } from './config.ts';
import { busyWithOwnLoad } from './primary-load.ts';
import { placementsOf } from './topology.ts';
import type { Symptom, Topology } from './types.ts';

/**
 * Looks at each replica of the services that look wrong (`drill`, each with the time of its scrape) for the
 * ones that stand out from their peers, and adds a symptom for each to `out`. Replicas starting, out of
 * rotation or on a suspected node are left out: their readings say nothing about their node's health.
 */
export const findReplicaOutliers = (
  sensors: Sensors,
  config: MapekConfig,
  drill: readonly { readonly service: ServiceId; readonly atMs: number }[],
  topology: Topology,
  suspected: (node: NodeId) => boolean,
  out: Symptom[],
): void => {
  for (const { service, atMs } of drill) {
    const rows: {
      replica: ReplicaId;
      node: NodeId;
      errorRate: number;
      latencyMs: number;
      p99Ms: number;
      role: ReplicaRole;
      rps: number;
      cpu: number;
    }[] = [];
    for (const p of placementsOf(topology, service)) {
      if (p.starting || !p.inRotation || suspected(p.node)) continue;
      const scrape = sensors.replica(p.replica);
      // Only replicas scraped in the same round as the service: a stale scrape describes the past.
      if (scrape === undefined || scrape.atMs < atMs) continue;
      rows.push({
        replica: p.replica,
        node: p.node,
        errorRate: scrape.errorRate,
        latencyMs: scrape.latencyMs,
        p99Ms: scrape.latencyP99Ms,
        role: scrape.role,
        rps: scrape.rps,
        cpu: scrape.cpu,
      });
    }
    // An outlier stands out from its peers: with no peer to compare with, or when every replica fails
    // alike, the service is short of capacity and no node is to blame.
    if (rows.length < 2) continue;
    // Each replica against the median of the others: sorted once, the median without one value is a
    // lookup (a cycle that drills into a service of hundreds of replicas stays O(n log n)).
    const errorRates = rows.map((x) => x.errorRate).sort((a, b) => a - b);
    // A failing replica's latency describes the few requests it served, not its speed: it is no yardstick.
    const healthy = (x: { readonly errorRate: number }) => x.errorRate <= config.errorRateThreshold;
    const latencies = rows
      .filter(healthy)
      .map((x) => x.latencyMs)
      .filter((ms) => ms > 0)
      .sort((a, b) => a - b);
    // Sorted only when a replica's mean does not already stand out.
    let tails: number[] | undefined;
    for (const r of rows) {
      // A primary busy with the writes it takes fails and lags by its own load, not its node's.
      if (busyWithOwnLoad(r, rows)) continue;
      const peerErrors = medianWithout(errorRates, r.errorRate);
      if (r.errorRate > config.errorRateThreshold && r.errorRate > 2 * peerErrors) {
        out.push({
          kind: 'replica-errors',
          replica: r.replica,
          service,
          node: r.node,
          errorRate: r.errorRate,
        });
        continue;
      }
      const peerMs =
        r.latencyMs > 0 && healthy(r) ? medianWithout(latencies, r.latencyMs) : medianOf(latencies);
      if (peerMs > 0 && r.latencyMs > config.latencyThreshold * peerMs) {
        out.push({
          kind: 'replica-latency',
          replica: r.replica,
          service,
          node: r.node,
          latencyMs: r.latencyMs,
          peerMs,
        });
        continue;
      }
      // The same test on the p99 gauge, which shows a replica turned slow at the scrape itself.
      tails ??= rows
        .filter(healthy)
        .map((x) => x.p99Ms)
        .filter((ms) => ms > 0)
        .sort((a, b) => a - b);
      const peerP99 = r.p99Ms > 0 && healthy(r) ? medianWithout(tails, r.p99Ms) : medianOf(tails);
      if (peerP99 > 0 && r.p99Ms > config.latencyThreshold * peerP99) {
        out.push({
          kind: 'replica-latency',
          replica: r.replica,
          service,
          node: r.node,
          latencyMs: r.p99Ms,
          peerMs: peerP99,
        });
      }
    }
  }
};

/** The median of a sorted list (0 when empty). */
const medianOf = (sorted: readonly number[]): number => medianSkipping(sorted, -1);

/** The median of a sorted list with one occurrence of `value` (which it holds) left out. */
const medianWithout = (sorted: readonly number[], value: number): number => {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return medianSkipping(sorted, lo);
};

/** The median of a sorted list with the element at index `skip` left out (-1: none). */
const medianSkipping = (sorted: readonly number[], skip: number): number => {
  const n = skip < 0 ? sorted.length : sorted.length - 1;
  if (n <= 0) return 0;
  const mid = n >> 1;
  // Positions at or past the skipped one shift by one (no closure: this runs per replica drilled into).
  const upper = sorted[skip >= 0 && mid >= skip ? mid + 1 : mid] ?? 0;
  if (n % 2 === 1) return upper;
  const lower = sorted[skip >= 0 && mid - 1 >= skip ? mid : mid - 1] ?? 0;
  return (lower + upper) / 2;
};
