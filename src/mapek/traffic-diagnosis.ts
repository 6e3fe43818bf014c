import type { ServiceId } from '../cluster/ids.ts';
import { pct } from './failure-factory.ts';
import { isServiceSymptom, TRAFFIC_THRESHOLDS } from './traffic-symptoms.ts';
import type { LoadEstimate, RootCause, ServiceHealth, Symptom, SymptomKind } from './types.ts';

/** What tells a retry storm from an overload, and when a mitigation may be lifted, as data. */
export const TRAFFIC_DIAGNOSIS = {
  /**
   * Goodput below this share of the original requests, with retries amplifying, is a storm: most of what
   * the servers do is work for clients that have already given up, and their retries are most of the load.
   */
  stormGoodputShare: 0.5,
  /** Lifted once the backlog delays a request less than this... */
  drainedDelayMs: 50,
  /** ...goodput is back to this share of the original requests admitted... */
  goodputBack: 0.95,
  /** ...clients hardly retry (attempts per original request below this)... */
  calmAmplification: 1.2,
  /**
   * ...and the whole original demand fits in this share of the capacity (the more of what the replicas served
   * during the failure and their declared capacity in rotation): a service sized to run hot is lifted too.
   */
  demandHeadroom: 0.95,
  /**
   * Scrapes the service must look like that before the mitigation is lifted: one, since shedding refuses
   * users for as long as it lasts, and the demand's headroom already guards against the trigger's return.
   */
  liftScrapes: 1,
} as const;

const D = TRAFFIC_DIAGNOSIS;

/** A service's traffic failure as analysis words it. */
export interface TrafficDiagnosis {
  readonly cause: Extract<RootCause, 'overload' | 'retry-storm'>;
  readonly rootCause: string;
  readonly evidence: readonly SymptomKind[];
  readonly load?: LoadEstimate;
}

const rps = (x: number) => `${Math.round(x)} rps`;

/**
 * Names a service's traffic failure from its symptoms, once no node failure explains them. A retry storm:
 * clients send well over one attempt per request and goodput has collapsed below half of what they ask, so
 * the servers are kept saturated by retries of requests that time out, and stay so after the trigger is gone
 * (Bronson et al., HotOS 2021). Anything else is an overload: more offered than served, a backlog building,
 * latency over its objective, errors.
 */
export const diagnoseTraffic = (
  service: ServiceId,
  symptoms: readonly Symptom[],
  health: ServiceHealth | undefined,
): TrafficDiagnosis => {
  const mine = symptoms.filter((s) => isServiceSymptom(s) && s.service === service);
  const evidence = [...new Set(mine.map((s) => s.kind))];
  const measured = health?.load;
  const load = measured === undefined ? undefined : unshed(measured, health?.shedFraction ?? 0);
  const amplified = mine.find((s) => s.kind === 'retry-amplification');
  const collapsed = mine.find((s) => s.kind === 'goodput-collapse');
  if (
    amplified !== undefined &&
    collapsed !== undefined &&
    collapsed.goodputRps < D.stormGoodputShare * collapsed.originalRps
  ) {
    const fits = load !== undefined && load.originalRps <= load.throughputRps;
    return {
      cause: 'retry-storm',
      rootCause:
        `${service} in a retry storm: ${amplified.amplification.toFixed(1)} attempts per request, goodput ` +
        `${rps(collapsed.goodputRps)} of ${rps(collapsed.originalRps)} asked while its replicas serve ` +
        `${rps(collapsed.throughputRps)}${fits ? ' (the original demand alone would fit: metastable)' : ''}`,
      evidence,
      ...(load === undefined ? {} : { load }),
    };
  }
  return {
    cause: 'overload',
    rootCause: `${service} ${describeOverload(mine)} with no sick node to blame: short of capacity`,
    evidence,
    ...(load === undefined ? {} : { load }),
  };
};

/**
 * A traffic failure's load as its clients send it, the share the operator sheds at the door added back
 * (shed requests are never retried): what a scale-out and a shed share are sized for, since the share applies
 * to the whole demand. Measured under shedding (a recovery rolled back on an effector's transient failure and
 * replanned on the scrape before the rollback landed, a storm's shedding escalated), the admitted load sized
 * an overload's retried scale-out by what got through and shed nothing while its replicas started, and a
 * storm's shed share by the requests let through (30 % where 45 % was needed: metastable-retry-storm seed 1).
 */
const unshed = (load: LoadEstimate, shedFraction: number): LoadEstimate => {
  if (!(shedFraction > 0) || shedFraction >= 1) return load;
  const shedRps = (load.originalRps * shedFraction) / (1 - shedFraction);
  return { ...load, originalRps: load.originalRps + shedRps, attemptsRps: load.attemptsRps + shedRps };
};

/** The overload's words, from its most telling symptom. */
const describeOverload = (mine: readonly Symptom[]): string => {
  for (const s of mine) {
    if (s.kind === 'backlog-growing')
      return `queueing: ${Math.round(s.backlog)} requests waiting (+${Math.round(s.growthPerSec)}/s, ${Math.round(s.delayMs)} ms of delay)`;
  }
  for (const s of mine) {
    if (s.kind === 'tail-latency')
      return `${s.quantile} latency ${Math.round(s.latencyMs)} ms over its ${s.source === 'slo' ? 'objective' : 'usual'} ${Math.round(s.limitMs)} ms`;
    if (s.kind === 'service-errors') return `failing ${pct(s.errorRate)} of requests`;
    if (s.kind === 'service-latency') return `${(s.latencyMs / s.baselineMs).toFixed(1)}x its usual latency`;
    if (s.kind === 'goodput-collapse')
      return `answering ${rps(s.goodputRps)} in time of ${rps(s.throughputRps)} served`;
    if (s.kind === 'retry-amplification') return `${s.amplification.toFixed(1)} attempts per request`;
  }
  return 'degraded';
};

/**
 * Whether a service the loop mitigated (shedding, a retry budget) is well again: its backlog drained, goodput
 * back for the requests admitted, retries calm, and its whole original demand within the capacity measured
 * while it failed, so lifting the mitigation does not bring the failure straight back.
 */
export const readyToLift = (
  health: ServiceHealth | undefined,
  capacityRps: number,
  symptoms: readonly Symptom[],
): boolean => {
  const load = health?.load;
  if (health === undefined || load === undefined) return false;
  if (symptoms.some((s) => isServiceSymptom(s) && s.service === health.service)) return false;
  const drained =
    load.throughputRps > TRAFFIC_THRESHOLDS.minRps
      ? (load.backlog / load.throughputRps) * 1_000 < D.drainedDelayMs
      : load.backlog < 1;
  const admitted = load.originalRps;
  const calm = admitted <= TRAFFIC_THRESHOLDS.minRps || load.attemptsRps < D.calmAmplification * admitted;
  const back = load.goodputRps >= D.goodputBack * admitted;
  // The shed share never reaches the servers: the whole demand is what the clients would send without it.
  const demand = health.shedFraction < 1 ? admitted / (1 - health.shedFraction) : Number.POSITIVE_INFINITY;
  // No capacity measured (a mitigation begun on an idle reading): the demand cannot be judged, the rest can.
  const fits = capacityRps <= 0 || demand <= D.demandHeadroom * capacityRps;
  return drained && calm && back && fits;
};
