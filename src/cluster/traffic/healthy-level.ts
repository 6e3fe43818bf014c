import { workerServiceTimeMs } from '../queueing/replica-queue.ts';
import { createResponseTime, responseMeanMs, setMmcResponseTime } from '../queueing/response-time.ts';
import type { ServiceRuntime } from '../runtime/records.ts';
import { queueLimitOf, serversOf } from './service-flow.ts';

/** Tolerances that decide whether a service is at its healthy level (ground truth). */
export interface ServiceLevelCriteria {
  /** Fraction of the healthy cluster's throughput that may be missing while still at level. */
  readonly throughputTolerance: number;
  /** Latency may be this many times the healthy cluster's latency at the same load. */
  readonly latencyTolerance: number;
  /** The scenario's latency objectives: a service whose p50 or p99 is above them is not at its level. */
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
}

// One scratch record for the nominal latency: the check runs inside one recompute at a time.
const NOMINAL = createResponseTime();

/**
 * The mean response time a fully healthy cluster would settle at for `readsRps`: every replica in rotation on
 * a healthy node, each an M/M/c queue (utilisation capped at 99 %, as the model's steady part is); at or above
 * its capacity the healthy cluster's queues are full too, and their FIFO delay, queueLimit / capacity, counts.
 */
export const nominalLatencyMs = (s: ServiceRuntime, readsRps: number): number => {
  const spec = s.spec;
  const servers = serversOf(s);
  const perReplica = readsRps / Math.max(1, spec.replicas);
  setMmcResponseTime(NOMINAL, servers, perReplica, workerServiceTimeMs(spec.capacityRps, servers));
  const saturated = perReplica >= spec.capacityRps - 1e-9;
  return responseMeanMs(NOMINAL) + (saturated ? (1000 * queueLimitOf(spec)) / spec.capacityRps : 0);
};

/**
 * Whether a service is at the level a fully healthy cluster would give its load (ground truth): it answers in
 * time (goodput, not mere throughput: a request answered after its client gave up is a request lost) what the
 * healthy cluster would, its mean latency is within `latencyTolerance` of the healthy cluster's, and its p50
 * and p99 meet the scenario's latency objectives, if it sets them.
 */
export const atHealthyLevel = (s: ServiceRuntime, criteria: ServiceLevelCriteria): boolean => {
  const offered = s.offeredRps;
  if (offered <= 0) return true;
  const nominalCapacity = s.spec.replicas * s.spec.capacityRps;
  // Against the load as offered, before any shedding: shed requests are requests a user did not get.
  const writes = offered * s.writeRatio;
  const reads = offered - writes;
  const nominalGoodput = Math.min(reads, nominalCapacity) + writes;
  if (s.goodputRps < nominalGoodput * (1 - criteria.throughputTolerance) - 1e-9) return false;
  if (s.latencyMs > nominalLatencyMs(s, reads) * criteria.latencyTolerance + 1e-9) return false;
  const p99 = criteria.latencyP99Ms;
  if (p99 !== undefined && s.latencyP99Ms > p99 + 1e-9) return false;
  const p50 = criteria.latencyP50Ms;
  return p50 === undefined || s.latencyP50Ms <= p50 + 1e-9;
};
