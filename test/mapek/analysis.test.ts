import { describe, expect, it } from 'vitest';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import type { HostStatus } from '../../src/cluster/sensors.ts';
import { analyze } from '../../src/mapek/analysis.ts';
import type { AnalysisInput } from '../../src/mapek/analysis-input.ts';
import type { MonitorSample } from '../../src/mapek/monitor.ts';
import { topologyOf } from '../../src/mapek/topology.ts';
import type { Symptom } from '../../src/mapek/types.ts';

const node = (n: number) => `node-${n}` as NodeId;

/** api-1..3 on node-1..3, orders-1..3 (orders-1 primary) on node-4..6. */
const TOPOLOGY = topologyOf(
  0,
  [1, 2, 3, 4, 5, 6].map((n) => ({
    replica: (n <= 3 ? `api-${n}` : `orders-${n - 3}`) as ReplicaId,
    service: (n <= 3 ? 'api' : 'orders') as ServiceId,
    node: node(n),
    role: n <= 3 ? ('none' as const) : n === 4 ? ('primary' as const) : ('replica' as const),
    inRotation: true,
    starting: false,
  })),
  new Map([['orders' as ServiceId, 'orders-1' as ReplicaId]]),
);

/** Analysis happens at 100 s; heartbeats every second; the cloud API lags 2 s. */
const NOW = 100_000;
const LAG = 2_000;

const silence = (n: number, host: HostStatus, missed = 5, extra: Partial<Symptom> = {}): Symptom => {
  const silenceMs = missed * 1_000 + 100;
  const silentSinceMs = NOW - silenceMs + 1_000;
  return {
    kind: 'heartbeat-silence',
    node: node(n),
    silenceMs,
    missed,
    phi: 20,
    host,
    peerSees: false,
    lastMemory: 0.5,
    silentSinceMs,
    hostFreshAtMs: silentSinceMs + LAG,
    ...extra,
  } as Symptom;
};

const sample = (symptoms: Symptom[]): MonitorSample => ({
  state: {
    observedAtMs: 100_000,
    scrapedAtMs: 100_000,
    metrics: {
      offeredRps: 0,
      servedRps: 0,
      errorRate: 0,
      latencyMs: 0,
      degradationPercent: 0,
      nodesResponding: 6,
      nodes: 6,
    },
    services: [],
    suspectedNodes: symptoms.flatMap((s) => (s.kind === 'heartbeat-silence' ? [s.node] : [])),
    topology: TOPOLOGY,
  },
  symptoms,
});

const input = (symptoms: Symptom[], more: Partial<AnalysisInput> = {}): AnalysisInput => ({
  sample: sample(symptoms),
  nowMs: NOW,
  missedHeartbeats: 3,
  heartbeatIntervalMs: 1_000,
  known: [],
  streaks: new Map(),
  ...more,
});

const summary = (symptoms: Symptom[], more: Partial<AnalysisInput> = {}) =>
  analyze(input(symptoms, more)).result.failures.map((f) => [f.type, f.component, f.nodes]);

describe('analysis correlates symptoms into failures', () => {
  it('one partition explains many missed heartbeats: one failure, every silent node in it', () => {
    const failures = summary([silence(1, 'running'), silence(2, 'running'), silence(5, 'running')]);

    expect(failures).toEqual([['NetworkPartition', 'node-1', ['node-1', 'node-2', 'node-5']]]);
  });

  it('tells a crash from a partition by what the cloud API and the peers say', () => {
    const failures = summary([
      silence(1, 'stopped'),
      silence(2, 'running'),
      silence(3, 'running', 1, { peerSees: true }),
      silence(4, 'starting'),
    ]);

    expect(failures).toEqual([
      ['NodeCrash', 'node-1', ['node-1']],
      ['NetworkPartition', 'node-2', ['node-2', 'node-3']],
    ]);
  });

  it('calls a node that still sends heartbeats but cannot be reached a one-way partition, not an overload', () => {
    const deaf: Symptom = { kind: 'node-unreachable', node: node(4), lastScrapedAtMs: 95_000 };
    const orderErrors: Symptom = { kind: 'service-errors', service: 'orders' as ServiceId, errorRate: 0.3 };

    const out = analyze(input([deaf, orderErrors])).result;

    expect(out.failures.map((f) => [f.type, f.nodes, f.cause])).toEqual([
      ['NetworkPartition', ['node-4'], 'partition'],
    ]);
    expect(out.failures[0]?.rootCause).toMatch(/heartbeats still arrive/);
  });

  it('waits for more evidence on a node silent for fewer than k heartbeats that no peer reaches', () => {
    const out = analyze(input([silence(2, 'running', 2)])).result;

    expect(out.failures).toEqual([]);
    expect(out.deferred).toEqual(['node-2']);
    // It asks to look again the moment the cloud API's answer will cover the silence.
    expect(out.recheckAtMs).toBe(100_900);
  });

  it('calls a silent node partitioned before k heartbeats once the cloud API, lag and all, says it runs', () => {
    // Silent since 97.9 s, the API (2 s behind) has shown 98 s onwards by now: a stop would show, so it runs.
    const fresh = silence(2, 'running', 2, { silentSinceMs: 97_900, hostFreshAtMs: 99_900 });

    const out = analyze(input([fresh])).result;

    expect(out.failures.map((f) => [f.type, f.component])).toEqual([['NetworkPartition', 'node-2']]);
    expect(out.deferred).toEqual([]);
  });

  it('puts a node that fell silent with a partitioned one into the same partition, not into waiting', () => {
    const fresh = silence(1, 'running', 2, { silentSinceMs: 97_900, hostFreshAtMs: 99_900 });
    const together = silence(2, 'running', 2, { silentSinceMs: 98_600, hostFreshAtMs: 100_600 });
    const later = silence(3, 'running', 0, { silentSinceMs: 99_500, hostFreshAtMs: 101_500 });

    const out = analyze(input([fresh, together, later])).result;

    expect(out.failures.map((f) => [f.type, f.nodes])).toEqual([['NetworkPartition', ['node-1', 'node-2']]]);
    expect(out.deferred).toEqual(['node-3']);
  });

  it('a node that went silent with its memory nearly full ran out of memory', () => {
    const failures = summary([silence(3, 'stopped', 5, { lastMemory: 0.97 })]);

    expect(failures).toEqual([['ResourceExhaustion', 'node-3', ['node-3']]]);
  });

  it('rising memory on a live node is exhaustion, not a crash', () => {
    const out = analyze(input([{ kind: 'memory-pressure', node: node(3), value: 0.62, trendPerMin: 0.05 }]))
      .result.failures;

    expect(out.map((f) => [f.type, f.cause, f.component])).toEqual([
      ['ResourceExhaustion', 'memory', 'node-3'],
    ]);
    expect(out[0]?.severity).toBeGreaterThan(0);
    expect(out[0]?.severity).toBeLessThanOrEqual(1);
  });

  it('replicas outlying on one node are a degraded node at once, unless a recovery in hand is moving that service', () => {
    const slow: Symptom = {
      kind: 'replica-latency',
      replica: 'api-2' as ReplicaId,
      service: 'api' as ServiceId,
      node: node(2),
      latencyMs: 120,
      peerMs: 25,
    };
    const crashElsewhere = analyze(input([silence(1, 'stopped')])).result.failures;

    const alone = analyze(input([slow]));
    const duringRecovery = analyze(input([slow], { known: crashElsewhere }));

    expect(alone.result.failures.map((f) => [f.type, f.cause, f.component])).toEqual([
      ['PerformanceDegradation', 'slow-node', 'node-2'],
    ]);
    expect(crashElsewhere.flatMap((f) => f.services)).toContain('api');
    expect(duringRecovery.result.failures).toEqual([]);
  });

  it('service symptoms a node failure explains are not overload; unexplained ones persisting are', () => {
    const errors: Symptom = { kind: 'service-errors', service: 'api' as ServiceId, errorRate: 0.2 };

    const explained = summary([silence(1, 'stopped'), errors], { streaks: new Map([['service:api', 3]]) });
    const overloaded = summary([errors], { streaks: new Map([['service:api', 1]]) });

    expect(explained).toEqual([['NodeCrash', 'node-1', ['node-1']]]);
    expect(overloaded).toEqual([['PerformanceDegradation', 'api', []]]);
  });

  it('a primary on the failed node makes the failure as severe as its type allows', () => {
    const [onPrimary] = analyze(input([silence(4, 'stopped')])).result.failures;
    const [onReplica] = analyze(input([silence(5, 'stopped')])).result.failures;

    expect(onPrimary?.severity).toBe(1);
    expect(onReplica?.severity).toBeLessThan(1);
  });
});
