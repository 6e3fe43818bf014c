import type { NodeId, ServiceId } from '../cluster/ids.ts';
import type { AnalysisInput } from './analysis-input.ts';
import { diagnoseDependencies } from './dependency-diagnosis.ts';
import { failureFactory } from './failure-factory.ts';
import { reviewQuarantine } from './flapping.ts';
import {
  diagnoseResourcePressure,
  diagnoseSlowNodes,
  groupByNode,
  hasNodeSymptom,
} from './node-diagnosis.ts';
import { diagnoseProcesses } from './process-diagnosis.ts';
import { diagnoseSilences } from './silence-diagnosis.ts';
import { EMPTY_TOPOLOGY } from './topology.ts';
import { diagnoseTraffic, readyToLift, TRAFFIC_DIAGNOSIS } from './traffic-diagnosis.ts';
import { isServiceSymptom } from './traffic-symptoms.ts';
import type { AnalysisResult, DetectedFailure, RootCause } from './types.ts';

/** The analysis result and the streaks to carry to the next cycle. */
export interface AnalysisOutput {
  readonly result: AnalysisResult;
  readonly streaks: Map<string, number>;
  /** Nodes seen going down since the last analysis (a new silence), with when they fell silent. */
  readonly wentDown: readonly { readonly node: NodeId; readonly atMs: number }[];
}

/** Failures that are the loop's own decisions about a flapping node, not failures it detected: never reported. */
const DECISIONS: ReadonlySet<RootCause> = new Set([
  'kept-out',
  'readmit',
  'lift-mitigation',
  'close-circuit',
]);

/** Whether a failure is a detection to report (`reportDetection`), rather than the loop's own bookkeeping. */
export const isDetection = (f: DetectedFailure): boolean => !DECISIONS.has(f.cause);

/**
 * Scrapes a service's unexplained symptoms must persist before they count as overload (see `persisted`): one
 * bad scrape is often the dust of a rebalance (replicas starting, a load balancer catching up).
 */
const OVERLOAD_SCRAPES = 2;

/** The streak entry holding the scrape the last analysis saw. */
const SCRAPE_KEY = 'scrape';

/**
 * The Analyze phase: turns symptoms into diagnosed failures. It correlates: the silent nodes whose machines
 * still run (the cloud API says so, or a peer still reaches them) are explained by one partition, not many
 * crashes; a silent node whose machine stopped crashed (out of memory when its memory was nearly full); a
 * live node under resource pressure is exhaustion; replicas slower or failing more than their peers point at
 * a degraded node; service symptoms explained by none of these, for two cycles running, are overload.
 */
export const analyze = (input: AnalysisInput): AnalysisOutput => {
  const { sample, nowMs } = input;
  const topology = sample.state.topology ?? EMPTY_TOPOLOGY;
  const streaks = new Map<string, number>();
  const confirmed = (key: string, cycles: number) => {
    const n = (input.streaks.get(key) ?? 0) + 1;
    streaks.set(key, n);
    return n >= cycles;
  };
  const factory = failureFactory(topology, nowMs);
  const { make, explained: explainedNodes } = factory;
  const bySymptomNode = groupByNode(sample.symptoms);

  // 1. Silent nodes: crashed, or cut off by a partition.
  const silences = diagnoseSilences(input, factory, streaks);
  const failures: DetectedFailure[] = [...silences.failures];

  // 2. Live nodes under resource pressure.
  failures.push(...diagnoseResourcePressure(bySymptomNode, factory));

  // 2b. Faults inside processes: one replica bad on a node nothing above explains, or a bad version.
  const processes = diagnoseProcesses({
    containers: sample.containers ?? [],
    symptoms: sample.symptoms,
    topology,
    nodeFaults: new Set([
      ...explainedNodes,
      ...[...bySymptomNode.keys()].filter((n) => hasNodeSymptom(bySymptomNode, n)),
    ]),
    suspected: sample.state.suspectedNodes,
    nowMs,
    confirmed,
  });
  failures.push(...processes.failures);

  // 3. Nodes whose replicas stand out from their peers.
  failures.push(
    ...diagnoseSlowNodes(
      { byNode: bySymptomNode, known: input.known, processExplained: processes.explained, confirmed },
      factory,
    ),
  );

  // 4. Service symptoms: explained by a failure on one of the service's nodes, or a traffic failure of the
  // service itself (an overload, a retry storm) once they persist. A traffic failure in hand does not explain
  // its own symptoms away: it stays present while they last, so its recovery is judged on them.
  const covered = new Set<ServiceId>();
  const trafficKey = (service: ServiceId) => `PerformanceDegradation:${service}`;
  for (const f of [...failures, ...input.known])
    for (const s of f.services) if (f.key !== trafficKey(s)) covered.add(s);
  for (const n of explainedNodes) for (const p of topology.byNode.get(n) ?? []) covered.add(p.service);
  const knownKeys = new Set(input.known.map((k) => k.key));
  const health = new Map(sample.state.services.map((h) => [h.service, h]));
  // A cycle shorter than the scrape interval sees one scrape twice: a service's symptoms persist only across
  // scrapes, so a second look at the same scrape does not confirm them (it keeps the count it had).
  const scrapedAt = sample.state.scrapedAtMs;
  const newScrape = input.streaks.get(SCRAPE_KEY) !== scrapedAt;
  streaks.set(SCRAPE_KEY, scrapedAt);
  const persisted = (key: string, scrapes: number) => {
    const before = input.streaks.get(key) ?? 0;
    const n = newScrape ? before + 1 : Math.max(1, before);
    streaks.set(key, n);
    return n >= scrapes;
  };
  // 4a. The call graph: callers whose calls fail are explained by their dependencies (the root below them is
  // acted on), an edge failing between healthy services is a dependency failure of its own.
  const calls = diagnoseDependencies(sample.state.services, sample.symptoms, covered, persisted, {
    get: (key) => input.streaks.get(key) ?? 0,
    set: (key, n) => {
      if (n > 0) streaks.set(key, n);
    },
  });
  for (const c of calls.covered) covered.add(c);
  for (const d of calls.findings) {
    const f = make('DependencyFailure', d.component, [], d.cause, d.rootCause, []);
    const call = { caller: d.caller, callee: d.callee, fallback: d.fallback };
    const key = d.cause === 'close-circuit' ? { key: `close-circuit:${d.component}` } : {};
    failures.push({ ...f, services: [d.caller], call, ...key });
  }
  let unexplained = 0;
  for (const s of sample.symptoms) {
    if (!isServiceSymptom(s)) continue;
    const key = `service:${s.service}`;
    if (covered.has(s.service) || streaks.has(key)) continue;
    unexplained++;
    const inHandAlready = knownKeys.has(trafficKey(s.service));
    if (!persisted(key, OVERLOAD_SCRAPES) && !inHandAlready) continue;
    const d = diagnoseTraffic(s.service, sample.symptoms, health.get(s.service));
    const f = make('PerformanceDegradation', s.service, [], d.cause, d.rootCause, d.evidence);
    failures.push(d.load === undefined ? f : { ...f, load: d.load });
  }

  // 6. Mitigations the loop put on services: lifted once the service is well again.
  for (const [service, m] of input.mitigations ?? []) {
    const key = `lift:${service}`;
    // Not while the failure that put it there is in hand: its recovery is judged with the mitigation on. A
    // bridge is lifted once the replicas it waited for serve: each second more refuses users for nothing.
    if (m.bridge !== true && knownKeys.has(trafficKey(service))) continue;
    if (!readyToLift(health.get(service), m.capacityRps, sample.symptoms)) continue;
    if (!persisted(key, TRAFFIC_DIAGNOSIS.liftScrapes)) continue;
    const why = `${service} has drained its backlog and its goodput is back: lift the shedding and retry budget put on it`;
    failures.push({ ...make('PerformanceDegradation', service, [], 'lift-mitigation', why, []), key });
  }

  // 5. Nodes kept out for flapping: held while they fail, let back once they have stayed up and quiet.
  failures.push(
    ...reviewQuarantine(input.quarantined ?? [], silences.silentNodes, input.history, nowMs, make),
  );

  const { wentDown, deferred, recheckAtMs } = silences;
  return {
    wentDown,
    result: {
      failures,
      newFailures: failures.filter((f) => !knownKeys.has(f.key)),
      deferred,
      ...(recheckAtMs === undefined ? {} : { recheckAtMs }),
      unexplained,
    },
    streaks,
  };
};
