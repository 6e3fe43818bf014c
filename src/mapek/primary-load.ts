import type { ReplicaRole } from '../cluster/runtime/states.ts';

/** What the drill-down compares of a replica to tell a hot primary from a slow node. */
export interface LoadRow {
  readonly role: ReplicaRole;
  /** Requests per second it served over the scrape interval. */
  readonly rps: number;
  /** CPU use against its reservation, 0..1. */
  readonly cpu: number;
}

/** The thresholds of {@link busyWithOwnLoad}, as data. */
export const PRIMARY_LOAD = {
  /** It serves at least this much more than the median peer (the writes it takes besides its reads). */
  extraRps: 1.1,
  /** Its CPU is at least this busy: its own queue explains its latency. */
  busy: 0.85,
} as const;

const median = (values: number[]): number => {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? (values[mid] ?? 0) : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
};

/**
 * Whether a replica's slowness or errors are its own load rather than its node's: a primary takes every write
 * besides its share of the reads, so it serves more than its peers. When it does and runs near full, its own
 * queue explains its latency and its rejections: the service is short of write capacity, and moving the primary or failing it over would only
 * move the heat (the service-level symptoms still show the overload). The cost: a slow node whose only replica
 * is such a busy primary is not singled out by this comparison; its other replicas, its node's readings and the
 * service's symptoms are. (CPU per request is no yardstick here: the CPU gauge is instantaneous while the rates
 * are averaged over the scrape interval, so the two disagree right after a change of load.)
 */
export const busyWithOwnLoad = (r: LoadRow, rows: readonly LoadRow[]): boolean => {
  if (r.role !== 'primary' || r.rps <= 0) return false;
  const peers = rows.filter((x) => x !== r && x.rps > 0);
  if (peers.length === 0) return false;
  return r.rps > PRIMARY_LOAD.extraRps * median(peers.map((x) => x.rps)) && r.cpu >= PRIMARY_LOAD.busy;
};
