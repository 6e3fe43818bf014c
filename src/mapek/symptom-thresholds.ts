/** Fixed symptom thresholds, as data: the ones a scenario tunes live in MapekConfig. */
export const SYMPTOM_THRESHOLDS = {
  /**
   * Node CPU taken by something other than the replicas at or above this is pressure. Replicas saturating
   * their own node is load, which the service symptoms speak for; a runaway process is exhaustion.
   */
  cpuOther: 0.5,
  /** Disk in use at or above this is pressure (requests start failing at 98 %). */
  disk: 0.95,
  /** Memory in use at or above this is pressure (the first slow-down band). */
  memory: 0.85,
  /** A memory slope at or above this per minute, on a node above its normal level, is a leak. */
  memoryLeakPerMin: 0.02,
  /** How far above its normal level a node's memory must be before a slope counts as a leak. */
  memoryLeakMargin: 0.05,
  /** Readings of memory kept per node for the slope, and the fewest that give one. */
  memoryWindow: 8,
  memoryMinPoints: 5,
  /** A service failing more than this share of its requests has a symptom (the level's own tolerance). */
  serviceErrorRate: 0.01,
  /**
   * The operator's own shedding fails its share of requests by design: a service's errors count only above
   * it, with this relative margin for the scrape's noise (five deviations of the 2 % default).
   */
  shedMargin: 0.1,
  /** Above these a service is inspected replica by replica. */
  drillErrorRate: 0.005,
  drillLatencyFactor: 1.3,
  /** Weight of a new healthy scrape in a service's latency baseline and a node's normal memory. */
  baselineWeight: 0.1,
  /** Peers asked to probe a silent node. */
  probePeers: 3,
} as const;
