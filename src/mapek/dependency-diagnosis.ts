import type { ServiceId } from '../cluster/ids.ts';
import { pct } from './failure-factory.ts';
import { isServiceSymptom } from './traffic-symptoms.ts';
import type { DependencyHealth, RootCause, ServiceHealth, Symptom } from './types.ts';

/** When a call edge counts as failing, and how long an opened circuit sleeps before its probe, as data. */
export const DEPENDENCY_THRESHOLDS = {
  /** Calls failing after their attempts, as the caller's proxy counts them (a fallback may absorb them). */
  errorRate: 0.05,
  /** Calls whose last attempt timed out. */
  timeoutRate: 0.05,
  /** Call time above this many times the edge's learned normal. */
  latencyFactor: 3,
  /** Fewer calls per second than this say nothing either way. */
  minRps: 1,
  /**
   * Scrapes an opened circuit stays open before the loop closes it to probe, times the probes already made
   * plus one, at most `maxSleepScrapes`: Envoy's outlier detection ejects a host for base_ejection_time (30 s)
   * x the number of its ejections, up to max_ejection_time (300 s); at the 5 s scrape of the bundled scenarios
   * these are 30 s and 5 min. If the edge still fails after the probe, it is opened again.
   */
  sleepScrapes: 6,
  maxSleepScrapes: 60,
} as const;

const T = DEPENDENCY_THRESHOLDS;

/** One failure the call graph explains, before analysis gives it a key, severity and time. */
export interface DependencyFinding {
  readonly cause: Extract<RootCause, 'dependency' | 'cascade' | 'close-circuit'>;
  /** The edge, `caller->callee`. */
  readonly component: string;
  readonly caller: ServiceId;
  readonly callee: ServiceId;
  readonly fallback: boolean;
  readonly rootCause: string;
}

/** What the call graph explains in one analysis. */
export interface DependencyDiagnosis {
  readonly findings: readonly DependencyFinding[];
  /** Callers whose symptoms their failing dependencies explain: no overload of their own, no action on them. */
  readonly covered: ReadonlySet<ServiceId>;
  /** The services at the bottom of each failing chain (sick themselves): where the existing strategies act. */
  readonly roots: ReadonlySet<ServiceId>;
}

/** Whether an edge's calls fail, time out or slow down beyond the thresholds (an open circuit is the loop's own). */
export const edgeFailing = (d: DependencyHealth): boolean =>
  !d.circuitOpen &&
  d.rps >= T.minRps &&
  (d.errorRate > T.errorRate ||
    d.timeoutRate > T.timeoutRate ||
    d.latencyMs > T.latencyFactor * Math.max(d.baselineLatencyMs, 1e-3));

const describeEdge = (d: DependencyHealth): string => {
  const parts: string[] = [];
  if (d.errorRate > T.errorRate) parts.push(`${pct(d.errorRate)} of calls failing`);
  if (d.timeoutRate > T.timeoutRate) parts.push(`${pct(d.timeoutRate)} timing out`);
  if (d.latencyMs > T.latencyFactor * d.baselineLatencyMs)
    parts.push(
      `${Math.round(d.latencyMs)} ms a call, ${(d.latencyMs / d.baselineLatencyMs).toFixed(1)}x its usual`,
    );
  return parts.join(', ');
};

/**
 * Localises failures along the declared call graph (the loop may know it: it is configuration). A caller
 * whose calls to a callee fail is not the root cause: follow the failing edges down. A callee that is sick
 * itself (its own load balancer's symptoms, or a node failure already covering it) whose own calls are fine
 * is the root: the existing strategies act on it (a slow node drained, an overload scaled). A callee that
 * looks healthy while its caller's calls to it fail points at the edge itself: a `dependency` failure. Every
 * caller on a failing chain is `covered` (its symptoms are its dependencies'); where its call has a fallback
 * it gets a `cascade` finding, answered by opening its circuit so it serves degraded and fast. An open
 * circuit held for `sleepScrapes` scrapes is closed to probe (`close-circuit`), once its callee looks healthy.
 */
export const diagnoseDependencies = (
  services: readonly ServiceHealth[],
  symptoms: readonly Symptom[],
  coveredByFailures: ReadonlySet<ServiceId>,
  persisted: (key: string, scrapes: number) => boolean,
  /** A count kept from one analysis to the next (the probes made per edge): read, then write to keep it. */
  counter: { get(key: string): number; set(key: string, n: number): void },
): DependencyDiagnosis => {
  const findings: DependencyFinding[] = [];
  const covered = new Set<ServiceId>();
  const roots = new Set<ServiceId>();
  const byName = new Map(services.map((h) => [h.service, h]));
  const ownSymptoms = new Set<ServiceId>();
  for (const s of symptoms) if (isServiceSymptom(s)) ownSymptoms.add(s.service);
  const failingOut = (h: ServiceHealth | undefined) => (h?.dependencies ?? []).filter(edgeFailing);
  /** Sick on its own account: its own symptoms or a failure in hand on its nodes, and no failing call of its own. */
  const sickItself = (s: ServiceId) =>
    (ownSymptoms.has(s) || coveredByFailures.has(s)) && failingOut(byName.get(s)).length === 0;
  /**
   * Whether the trouble of callers of `s` is explained at or below `s`: it is sick itself (a root), or its own
   * calls fail (the failure lies further down, a sick service or an edge failing between healthy ones).
   */
  const reachesSick = (s: ServiceId): boolean => {
    if (sickItself(s)) {
      roots.add(s);
      return true;
    }
    return failingOut(byName.get(s)).length > 0;
  };
  for (const h of services) {
    for (const d of h.dependencies ?? []) {
      const component = `${h.service}->${d.service}`;
      const probesKey = `probes:${component}`;
      const probes = counter.get(probesKey);
      counter.set(probesKey, probes);
      if (d.circuitOpen) {
        covered.add(h.service);
        const key = `circuit:${component}`;
        const sleep = Math.min(T.maxSleepScrapes, T.sleepScrapes * (probes + 1));
        if (!reachesSick(d.service) && persisted(key, sleep)) {
          counter.set(probesKey, probes + 1);
          findings.push({
            cause: 'close-circuit',
            component,
            caller: h.service,
            callee: d.service,
            fallback: d.fallback,
            rootCause: `${component}: the circuit has slept ${sleep} scrapes and ${d.service} looks healthy: close it to probe (half-open, probe ${probes + 1})`,
          });
        }
        continue;
      }
      if (!edgeFailing(d)) continue;
      covered.add(h.service);
      if (!persisted(`edge:${component}`, 2)) continue;
      if (reachesSick(d.service)) {
        if (!d.fallback) continue;
        findings.push({
          cause: 'cascade',
          component,
          caller: h.service,
          callee: d.service,
          fallback: d.fallback,
          rootCause: `${h.service}'s calls to ${d.service} fail (${describeEdge(d)}) because ${d.service} or something below it fails: open the circuit, serve the fallback while the root cause is repaired`,
        });
        continue;
      }
      // The callee has no symptoms of its own and calls nothing that fails: the calls fail on the way.
      findings.push({
        cause: 'dependency',
        component,
        caller: h.service,
        callee: d.service,
        fallback: d.fallback,
        rootCause: `${component}: ${describeEdge(d)} while ${d.service} itself is healthy: the dependency fails between them${d.fallback ? '' : ' (no fallback: nothing to open the circuit for)'}`,
      });
    }
  }
  return { findings, covered, roots };
};
