import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import type { KnownFailure } from './analysis-input.ts';
import { type FailureFactory, kindsOf, pct } from './failure-factory.ts';
import type { DetectedFailure, RootCause, Symptom } from './types.ts';

/**
 * Cycles replicas must stand out on one node before it is a degraded node. They need no second look: the
 * outlier test compares replicas scraped in the same round against their peers, at twice their latency or
 * error rate, far beyond noise.
 */
const DEGRADED_NODE_CYCLES = 1;

type ResourceSymptom = Extract<Symptom, { kind: 'disk-pressure' | 'memory-pressure' | 'cpu-pressure' }>;

/** Which resource symptom explains a node's trouble first, and what it makes of it. */
const RESOURCE_CAUSES: readonly {
  readonly kind: ResourceSymptom['kind'];
  readonly cause: RootCause;
  readonly describe: (s: ResourceSymptom) => string;
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

/** The symptoms of each node, its own and its replicas' (a silence is the silence diagnosis' alone). */
export const groupByNode = (symptoms: readonly Symptom[]): Map<NodeId, Symptom[]> => {
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
export const hasNodeSymptom = (byNode: ReadonlyMap<NodeId, readonly Symptom[]>, node: NodeId): boolean =>
  (byNode.get(node) ?? []).some((s) => s.kind !== 'replica-latency' && s.kind !== 'replica-errors');

/** Live nodes under resource pressure nothing before explains: exhaustion, by the first resource short. */
export const diagnoseResourcePressure = (
  byNode: ReadonlyMap<NodeId, readonly Symptom[]>,
  { make, explained }: FailureFactory,
): DetectedFailure[] => {
  const failures: DetectedFailure[] = [];
  for (const [node, symptoms] of byNode) {
    if (explained.has(node)) continue;
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
  return failures;
};

/** What the slow-node diagnosis reads besides the symptoms by node. */
export interface SlowNodeInput {
  readonly byNode: ReadonlyMap<NodeId, readonly Symptom[]>;
  readonly known: readonly KnownFailure[];
  /** Replicas a process fault already explains. */
  readonly processExplained: ReadonlySet<ReplicaId>;
  /** Whether a suspicion has lasted `cycles` cycles, counting this one. */
  readonly confirmed: (key: string, cycles: number) => boolean;
}

/**
 * Nodes whose replicas stand out from their peers (slower, or failing more): a degraded node, unless a
 * failure in hand already covers the node (its recovery moves replicas about, and the dust it raises is not a
 * new failure).
 */
export const diagnoseSlowNodes = (
  input: SlowNodeInput,
  { make, explained }: FailureFactory,
): DetectedFailure[] => {
  const failures: DetectedFailure[] = [];
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
  for (const [node, symptoms] of input.byNode) {
    if (explained.has(node)) continue;
    const owner = inHand.get(node);
    if (owner !== undefined && owner !== `PerformanceDegradation:${node}`) continue;
    const slow = symptoms.filter(
      (s) =>
        (s.kind === 'replica-latency' || s.kind === 'replica-errors') &&
        !dust(s) &&
        !input.processExplained.has(s.replica),
    );
    if (slow.length === 0 || !input.confirmed(`node:${node}`, DEGRADED_NODE_CYCLES)) continue;
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
  return failures;
};
