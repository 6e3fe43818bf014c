import { mark } from '../base/marks.ts';
import type { NodeId, ServiceId } from '../cluster/ids.ts';
import { diagnoseDependencies } from './dependency-diagnosis.ts';
import { FLAPPING, type NodeHistory } from './flapping.ts';
import type { MonitorSample } from './monitor.ts';
import { diagnoseProcesses } from './process-diagnosis.ts';
import { EMPTY_TOPOLOGY, impactOf, servicesOn } from './topology.ts';
import { diagnoseTraffic, readyToLift, TRAFFIC_DIAGNOSIS } from './traffic-diagnosis.ts';
import { isServiceSymptom } from './traffic-symptoms.ts';
import {
  type AnalysisResult,
  type DetectedFailure,
  type FailureType,
  isCutOff,
  type RootCause,
  type Symptom,
  type SymptomKind,
} from './types.ts';

/** A failure the knowledge base already knows of, as far as analysis cares. */
export interface KnownFailure {
  readonly key: string;
  readonly type: FailureType;
  readonly component: string;
  readonly nodes: readonly NodeId[];
  readonly services: readonly ServiceId[];
}

/** Everything one analysis needs besides the monitor's sample. */
export interface AnalysisInput {
  readonly sample: MonitorSample;
  readonly nowMs: number;
  /**
   * k of the k-missed detector: a silent node whose host runs is declared partitioned after k misses, or
   * sooner once the cloud API's answer covers the moment it fell silent.
   */
  readonly missedHeartbeats: number;
  /** The heartbeat interval: nodes that fell silent within one interval of each other fell silent together. */
  readonly heartbeatIntervalMs: number;
  readonly known: readonly KnownFailure[];
  /**
   * Consecutive cycles each suspicion has lasted, by `service:<id>` (symptoms nothing explained) and
   * `node:<id>` (replicas standing out from their peers).
   */
  readonly streaks: ReadonlyMap<string, number>;
  /**
   * What knowledge remembers of a node's failures (flapping counts, quarantine, the loop's own power
   * cycles). Without it a `starting` host is taken as already being handled and nothing flaps.
   */
  readonly history?: (node: NodeId) => NodeHistory;
  /** Nodes kept out for flapping, looked at each cycle for readmission. */
  readonly quarantined?: ReadonlySet<NodeId>;
  /**
   * Services the loop sheds load from or holds to a retry budget, with the capacity measured while they
   * failed: looked at each cycle for the mitigation's rollback. A `bridge` (shedding while a scale-out starts)
   * may be lifted while the recovery that put it there is still in hand.
   */
  readonly mitigations?: ReadonlyMap<ServiceId, { readonly capacityRps: number; readonly bridge?: boolean }>;
}

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

/** Causes that name a service, not nodes: the failure's component is the service, its impact whole. */
const SERVICE_CAUSES: ReadonlySet<RootCause> = new Set(['overload', 'retry-storm', 'lift-mitigation']);

/** Whether a failure is a detection to report (`reportDetection`), rather than the loop's own bookkeeping. */
export const isDetection = (f: DetectedFailure): boolean => !DECISIONS.has(f.cause);

/** Base severity of each failure type, scaled by how much of the affected services it takes away. */
const SEVERITY_BASE: Readonly<Record<FailureType, number>> = {
  NodeCrash: 1,
  NetworkPartition: 0.9,
  ResourceExhaustion: 0.8,
  PerformanceDegradation: 0.6,
  ProcessFault: 0.5,
  BadDeploy: 0.7,
  DependencyFailure: 0.6,
};

/** Memory use at the last scrape above which a node that goes silent is taken to have run out of memory. */
const OOM_EVIDENCE = 0.9;
/**
 * Cycles a suspicion must last before it is a failure (for a service's symptoms, scrapes: see `persisted`). A
 * service's unexplained symptoms must persist before they count as overload: one bad scrape is often the dust of a rebalance (replicas starting, a load balancer
 * catching up). Replicas outlying on one node need no second look: the outlier test compares replicas
 * scraped in the same round against their peers, at twice their latency or error rate, far beyond noise.
 */
const CONFIRM_CYCLES = { overload: 2, degradedNode: 1 } as const;

/** The streak entry holding the scrape the last analysis saw. */
const SCRAPE_KEY = 'scrape';

/** Which resource symptom explains a node's trouble first, and what it makes of it. */
const RESOURCE_CAUSES: readonly {
  readonly kind: 'disk-pressure' | 'memory-pressure' | 'cpu-pressure';
  readonly cause: RootCause;
  readonly describe: (
    s: Extract<Symptom, { kind: 'disk-pressure' | 'memory-pressure' | 'cpu-pressure' }>,
  ) => string;
}[] = [
  { kind: 'disk-pressure', cause: 'disk', describe: (s) => `disk on ${s.node} ${pct(s.value)} full` },
  {
    kind: 'memory-pressure',
    cause: 'memory',
    describe: (s) =>
      `memory on ${s.node} at ${pct(s.value)}${'trendPerMin' in s && s.trendPerMin > 0 ? `, rising ${pct(s.trendPerMin)}/min` : ''}`,
  },
  { kind: 'cpu-pressure', cause: 'cpu', describe: (s) => `cpu on ${s.node} at ${pct(s.value)}` },
];

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

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
  const failures: DetectedFailure[] = [];
  const streaks = new Map<string, number>();
  const confirmed = (key: string, cycles: number) => {
    const n = (input.streaks.get(key) ?? 0) + 1;
    streaks.set(key, n);
    return n >= cycles;
  };
  const explainedNodes = new Set<NodeId>();
  const bySymptomNode = groupByNode(sample.symptoms);
  const make: Make = (type, component, nodes, cause, rootCause, evidence) => {
    for (const n of nodes) explainedNodes.add(n);
    const byService = SERVICE_CAUSES.has(cause);
    const services = byService ? [component as ServiceId] : servicesOn(topology, nodes);
    const impact = byService ? 1 : impactOf(topology, nodes);
    return {
      key: `${type}:${component}`,
      type,
      component,
      nodes,
      services,
      cause,
      rootCause,
      severity: round3(SEVERITY_BASE[type] * (0.5 + 0.5 * impact)),
      evidence,
      detectedAtMs: nowMs,
    };
  };

  // 1. Silent nodes: crashed, or cut off by a partition. The cloud API was asked when the sample was taken.
  const observedAt = sample.state.observedAtMs;
  const partitioned: NodeId[] = [];
  const waiting: Extract<Symptom, { kind: 'heartbeat-silence' }>[] = [];
  const wentDown: { node: NodeId; atMs: number }[] = [];
  const silentNodes = new Set<NodeId>();
  for (const s of sample.symptoms) {
    if (s.kind !== 'heartbeat-silence') continue;
    silentNodes.add(s.node);
    // A silence is new when it began at another instant than the one seen last time: one failure each.
    const fresh = input.streaks.get(`down:${s.node}`) !== s.silentSinceMs;
    streaks.set(`down:${s.node}`, s.silentSinceMs);
    if (fresh) wentDown.push({ node: s.node, atMs: s.silentSinceMs });
    const h = input.history?.(s.node);
    if (h?.quarantined === true) {
      // Kept out for flapping: nothing runs there, and its going down again only restarts its quiet time.
      explainedNodes.add(s.node);
      continue;
    }
    const strikes = (h?.recentFailures ?? 0) + (fresh ? 1 : 0);
    const flapping = h !== undefined && strikes >= FLAPPING.threshold;
    const flaps = `${strikes} failures in ${FLAPPING.windowMs / 60_000} min: flapping`;
    if (s.host === 'starting') {
      // A power cycle the loop ordered (or, without history, anyone's): silence is expected until it boots.
      if (h === undefined || h.rebootedByLoop) {
        explainedNodes.add(s.node);
        continue;
      }
      // Nobody here ordered it: the machine crashed and is rebooting by itself, its replicas down meanwhile.
      // Each such crash is a failure of its own (keyed by when the silence began): the next one is not the
      // last one still in hand.
      failures.push(
        selfReboot(
          s.silentSinceMs,
          make(
            'NodeCrash',
            s.node,
            [s.node],
            flapping ? 'flapping' : 'self-reboot',
            `${s.node} went down and is rebooting by itself (the cloud API says starting; the loop ordered no power cycle)${flapping ? `; ${flaps}` : ''}`,
            ['heartbeat-silence'],
          ),
        ),
      );
      continue;
    }
    if (s.host === 'stopped') {
      const oom = s.lastMemory >= OOM_EVIDENCE;
      const down = make(
        oom ? 'ResourceExhaustion' : 'NodeCrash',
        s.node,
        [s.node],
        flapping ? 'flapping' : oom ? 'oom-crash' : 'crash',
        (oom
          ? `${s.node} went down out of memory (last seen at ${pct(s.lastMemory)}; the cloud API says stopped)`
          : `${s.node} is down: ${s.missed} heartbeats missed and the cloud API says stopped`) +
          (flapping ? `; ${flaps}` : ''),
        ['heartbeat-silence'],
      );
      failures.push(flapping ? selfReboot(s.silentSinceMs, down) : down);
    } else if (s.peerSees || s.missed >= input.missedHeartbeats || observedAt >= s.hostFreshAtMs) {
      // A peer reaches it, or the cloud API's `running` is recent enough that a stop would show: cut off.
      partitioned.push(s.node);
    } else {
      waiting.push(s);
    }
  }
  // Nodes that fell silent together with a node known to be cut off are cut off by the same partition: a
  // crash landing within the same heartbeat interval is far less likely, and would show as stopped next cycle.
  // Only nodes cut off on their own evidence anchor this: no chain of nodes each a second after the last.
  let recheckAtMs: number | undefined;
  const deferred: NodeId[] = [];
  const anchors = new Set(partitioned);
  for (const s of waiting) {
    const together = sample.symptoms.some(
      (o) =>
        o.kind === 'heartbeat-silence' &&
        anchors.has(o.node) &&
        Math.abs(o.silentSinceMs - s.silentSinceMs) < input.heartbeatIntervalMs,
    );
    if (together) {
      partitioned.push(s.node);
      continue;
    }
    // Silent for less than k heartbeats and no peer reaches it: the cloud API may not have caught up yet.
    mark('analysis.deferred-for-cloud-api');
    deferred.push(s.node);
    explainedNodes.add(s.node);
    recheckAtMs = Math.min(recheckAtMs ?? Number.POSITIVE_INFINITY, s.hostFreshAtMs);
  }
  // Nodes that still send heartbeats but cannot be reached are cut off one way: a partition all the same.
  for (const s of sample.symptoms) {
    if (s.kind !== 'node-unreachable') continue;
    if (input.history?.(s.node).quarantined === true) explainedNodes.add(s.node);
    else partitioned.push(s.node);
  }
  failures.push(...partitionFailures(partitioned, input.known, sample.symptoms, make));

  // 2. Live nodes under resource pressure.
  for (const [node, symptoms] of bySymptomNode) {
    if (explainedNodes.has(node)) continue;
    for (const rc of RESOURCE_CAUSES) {
      const s = symptoms.find((x) => x.kind === rc.kind);
      if (
        s === undefined ||
        (s.kind !== 'disk-pressure' && s.kind !== 'memory-pressure' && s.kind !== 'cpu-pressure')
      )
        continue;
      failures.push(make('ResourceExhaustion', node, [node], rc.cause, rc.describe(s), kindsOf(symptoms)));
      break;
    }
  }

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

  // 3. Nodes whose replicas stand out from their peers, unless a failure in hand already covers the node
  // (its recovery moves replicas about, and the dust it raises is not a new failure).
  const inHand = new Map<NodeId, string>();
  for (const k of input.known) for (const n of k.nodes) inHand.set(n, k.key);
  // A recovery in hand also moves its services' replicas about: while their replacements start and the load
  // balancer admits them, the replicas left elsewhere carry the load and stand out. Outliers of those services
  // off the failure's own nodes are its dust too (on its nodes they are its evidence: a slow node's own).
  const rebalancing = new Map<ServiceId, NodeId[]>();
  for (const k of input.known)
    for (const sv of k.services) rebalancing.set(sv, [...(rebalancing.get(sv) ?? []), ...k.nodes]);
  const dust = (s: { readonly service: ServiceId; readonly node: NodeId }) => {
    const nodes = rebalancing.get(s.service);
    return nodes !== undefined && !nodes.includes(s.node);
  };
  for (const [node, symptoms] of bySymptomNode) {
    if (explainedNodes.has(node)) continue;
    const owner = inHand.get(node);
    if (owner !== undefined && owner !== `PerformanceDegradation:${node}`) continue;
    const slow = symptoms.filter(
      (s) =>
        (s.kind === 'replica-latency' || s.kind === 'replica-errors') &&
        !dust(s) &&
        !processes.explained.has(s.replica),
    );
    if (slow.length === 0 || !confirmed(`node:${node}`, CONFIRM_CYCLES.degradedNode)) continue;
    const worst = slow.reduce(
      (w, s) => Math.max(w, s.kind === 'replica-latency' ? s.latencyMs / s.peerMs : 0),
      0,
    );
    const errors = slow.reduce((w, s) => Math.max(w, s.kind === 'replica-errors' ? s.errorRate : 0), 0);
    const what = [
      worst > 0 ? `${worst.toFixed(1)}x slower than their peers` : '',
      errors > 0 ? `failing ${pct(errors)} of requests` : '',
    ]
      .filter((x) => x !== '')
      .join(' and ');
    failures.push(
      make('PerformanceDegradation', node, [node], 'slow-node', `replicas on ${node} ${what}`, kindsOf(slow)),
    );
  }

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
    if (!persisted(key, CONFIRM_CYCLES.overload) && !inHandAlready) continue;
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

  // 5. Nodes kept out for flapping: held while they fail (so each cycle looks at them), let back once they
  // have stayed up and quiet for the stated time.
  for (const node of input.quarantined ?? []) {
    const last = input.history?.(node).lastFailureMs;
    const quiet = !silentNodes.has(node) && (last === undefined || nowMs - last >= FLAPPING.quietMs);
    const cause = quiet ? 'readmit' : 'kept-out';
    const why = quiet
      ? `${node} has stayed up without failing for ${FLAPPING.quietMs / 60_000} min since it was kept out for flapping`
      : `${node} is kept out for flapping until it has stayed up for ${FLAPPING.quietMs / 60_000} min`;
    failures.push({ ...make('NodeCrash', node, [node], cause, why, []), key: `${cause}:${node}` });
  }

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

/**
 * A crash the node reboots from by itself, or a flapping node: keyed by when its silence began, so each
 * crash is a failure of its own and the flapping one is not the crash before it still in hand.
 */
const selfReboot = (silentSinceMs: number, f: DetectedFailure): DetectedFailure => ({
  ...f,
  key: `${f.cause === 'flapping' ? 'Flapping' : f.type}:${f.component}@${silentSinceMs}`,
});

type Make = (
  type: FailureType,
  component: string,
  nodes: readonly NodeId[],
  cause: RootCause,
  rootCause: string,
  evidence: readonly SymptomKind[],
) => DetectedFailure;

/**
 * One failure per partition: silent nodes a known partition already covers stay with it (its key does not
 * change as the picture fills in); the rest are one new partition.
 */
const partitionFailures = (
  nodes: readonly NodeId[],
  known: readonly KnownFailure[],
  symptoms: readonly Symptom[],
  make: Make,
): DetectedFailure[] => {
  if (nodes.length === 0) return [];
  const out: DetectedFailure[] = [];
  const groups = new Map<string, { component: string; nodes: NodeId[] }>();
  const fresh: NodeId[] = [];
  for (const n of nodes) {
    const k = known.find((f) => f.type === 'NetworkPartition' && f.nodes.includes(n));
    if (k === undefined) {
      fresh.push(n);
      continue;
    }
    const g = groups.get(k.key) ?? { component: k.component, nodes: [] };
    g.nodes.push(n);
    groups.set(k.key, g);
  }
  if (fresh.length > 0) groups.set('', { component: fresh[0] as string, nodes: fresh });
  for (const g of groups.values()) {
    const mine = symptoms.filter((s) => isCutOff(s) && g.nodes.includes(s.node));
    const seen = mine.some((s) => s.kind === 'heartbeat-silence' && s.peerSees);
    const deaf = mine.some((s) => s.kind === 'node-unreachable');
    const silent = mine.some((s) => s.kind === 'heartbeat-silence');
    const how = deaf
      ? silent
        ? 'some silent, some still sending heartbeats that nothing can answer'
        : 'heartbeats still arrive, but scrapes and pings do not get through: one way only'
      : `heartbeats stopped; ${seen ? 'peers still reach them' : 'the cloud API says their machines run'}`;
    out.push(
      make(
        'NetworkPartition',
        g.component,
        g.nodes,
        'partition',
        `network partition: ${g.nodes.join(', ')} cut off from the control plane (${how})`,
        [...new Set(mine.map((s) => s.kind))],
      ),
    );
  }
  return out;
};

const groupByNode = (symptoms: readonly Symptom[]): Map<NodeId, Symptom[]> => {
  const out = new Map<NodeId, Symptom[]>();
  for (const s of symptoms) {
    if (!('node' in s) || s.kind === 'heartbeat-silence') continue;
    const list = out.get(s.node);
    if (list === undefined) out.set(s.node, [s]);
    else list.push(s);
  }
  return out;
};

/** Whether a node shows a symptom of its own (resource pressure, unreachable), not only its replicas'. */
const hasNodeSymptom = (byNode: ReadonlyMap<NodeId, readonly Symptom[]>, node: NodeId): boolean =>
  (byNode.get(node) ?? []).some((s) => s.kind !== 'replica-latency' && s.kind !== 'replica-errors');

const kindsOf = (symptoms: readonly Symptom[]): SymptomKind[] => [...new Set(symptoms.map((s) => s.kind))];

const round3 = (x: number) => Math.round(x * 1000) / 1000;
