import { describe, expect, it } from 'vitest';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { analyze } from '../../src/mapek/analysis.ts';
import type { AnalysisInput } from '../../src/mapek/analysis-input.ts';
import type { MonitorSample } from '../../src/mapek/monitor.ts';
import { topologyOf } from '../../src/mapek/topology.ts';
import { readyToLift } from '../../src/mapek/traffic-diagnosis.ts';
import type { LoadEstimate, ServiceHealth, Symptom } from '../../src/mapek/types.ts';

const API = 'api' as ServiceId;
const node = (n: number) => `node-${n}` as NodeId;

/** api-1..3 on node-1..3. */
const TOPOLOGY = topologyOf(
  0,
  [1, 2, 3].map((n) => ({
    replica: `api-${n}` as ReplicaId,
    service: API,
    node: node(n),
    role: 'none' as const,
    inRotation: true,
    starting: false,
  })),
  new Map(),
);

const NOW = 100_000;

/** A metastable storm: 300 rps asked, 3 attempts each, replicas serving 400 rps of which 40 in time. */
const STORM_LOAD: LoadEstimate = {
  originalRps: 300,
  attemptsRps: 900,
  throughputRps: 400,
  goodputRps: 40,
  backlog: 1_024,
};

const STORM: Symptom[] = [
  { kind: 'retry-amplification', service: API, amplification: 3, originalRps: 300, retryRps: 600 },
  {
    kind: 'goodput-collapse',
    service: API,
    goodputRps: 40,
    throughputRps: 400,
    originalRps: 300,
    backlog: 1_024,
  },
];

/** An overload: 480 rps of first attempts against 400 rps of capacity, the queue filling. */
const OVERLOAD_LOAD: LoadEstimate = {
  originalRps: 480,
  attemptsRps: 480,
  throughputRps: 400,
  goodputRps: 400,
  backlog: 800,
};

const OVERLOAD: Symptom[] = [
  { kind: 'backlog-growing', service: API, backlog: 800, growthPerSec: 80, delayMs: 2_000 },
  { kind: 'tail-latency', service: API, quantile: 'p99', latencyMs: 2_300, limitMs: 300, source: 'slo' },
];

const health = (load: LoadEstimate, shedFraction = 0): ServiceHealth => ({
  service: API,
  offeredRps: load.originalRps / (1 - shedFraction),
  servedRps: load.throughputRps,
  errorRate: 0,
  latencyMs: 20,
  baselineLatencyMs: 20,
  shedFraction,
  load,
});

const sample = (symptoms: Symptom[], load: LoadEstimate, shed = 0, scrapedAtMs = NOW): MonitorSample => ({
  state: {
    observedAtMs: NOW,
    scrapedAtMs,
    metrics: {
      offeredRps: 0,
      servedRps: 0,
      errorRate: 0,
      latencyMs: 0,
      degradationPercent: 0,
      nodesResponding: 3,
      nodes: 3,
    },
    services: [health(load, shed)],
    suspectedNodes: [],
    topology: TOPOLOGY,
  },
  symptoms,
});

const input = (
  symptoms: Symptom[],
  load: LoadEstimate,
  more: Partial<AnalysisInput> = {},
): AnalysisInput => ({
  sample: sample(symptoms, load),
  nowMs: NOW,
  missedHeartbeats: 3,
  heartbeatIntervalMs: 1_000,
  known: [],
  streaks: new Map(),
  ...more,
});

/** The same evidence in two scrapes, 10 s apart: a traffic failure must persist to count. */
const twice = (symptoms: Symptom[], load: LoadEstimate, more: Partial<AnalysisInput> = {}) => {
  const first = analyze({ ...input(symptoms, load, more), sample: sample(symptoms, load, 0, NOW - 10_000) });
  const second = analyze(input(symptoms, load, { ...more, streaks: first.streaks }));
  return { first: first.result, second: second.result };
};

describe('analysis tells a retry storm and an overload from node faults', () => {
  it('calls retries well above the requests with goodput collapsed a retry storm, after two cycles', () => {
    // Act
    const { first, second } = twice(STORM, STORM_LOAD);

    // Assert
    expect(first.failures).toEqual([]);
    expect(second.failures.map((f) => [f.key, f.type, f.cause, f.services, f.nodes])).toEqual([
      ['PerformanceDegradation:api', 'PerformanceDegradation', 'retry-storm', ['api'], []],
    ]);
    expect(second.failures[0]?.load).toEqual(STORM_LOAD);
    expect(second.failures[0]?.rootCause).toMatch(/3\.0 attempts per request.*metastable/);
  });

  it('does not confirm a traffic failure on a second look at the same scrape (cycles shorter than scrapes)', () => {
    // Arrange
    const first = analyze(input(STORM, STORM_LOAD));

    // Act: the next cycle, before the next scrape
    const second = analyze(input(STORM, STORM_LOAD, { streaks: first.streaks })).result;

    // Assert
    expect(second.failures).toEqual([]);
  });

  it('calls a backlog building from first attempts over capacity an overload', () => {
    // Act
    const { second } = twice(OVERLOAD, OVERLOAD_LOAD);

    // Assert
    expect(second.failures.map((f) => [f.key, f.cause])).toEqual([
      ['PerformanceDegradation:api', 'overload'],
    ]);
    expect(second.failures[0]?.rootCause).toMatch(/800 requests waiting/);
    expect(second.failures[0]?.evidence).toEqual(['backlog-growing', 'tail-latency']);
  });

  it('does not call retries a storm while goodput still serves most of the requests', () => {
    // Arrange: 1.6 attempts per request, goodput 200 of 300 asked (two thirds)
    const symptoms: Symptom[] = [
      { kind: 'retry-amplification', service: API, amplification: 1.6, originalRps: 300, retryRps: 180 },
      {
        kind: 'goodput-collapse',
        service: API,
        goodputRps: 200,
        throughputRps: 400,
        originalRps: 300,
        backlog: 500,
      },
    ];

    // Act
    const { second } = twice(symptoms, { ...STORM_LOAD, attemptsRps: 480, goodputRps: 200 });

    // Assert
    expect(second.failures.map((f) => f.cause)).toEqual(['overload']);
  });

  it('blames a crashed node, not the traffic, when the service loses capacity with it', () => {
    // Arrange: node-1 is down and the api's queues fill behind it
    const crash: Symptom = {
      kind: 'heartbeat-silence',
      node: node(1),
      silenceMs: 5_100,
      missed: 5,
      phi: 20,
      host: 'stopped',
      peerSees: false,
      lastMemory: 0.5,
      silentSinceMs: 95_900,
      hostFreshAtMs: 97_900,
    };

    // Act
    const { second } = twice([crash, ...STORM, ...OVERLOAD], STORM_LOAD);

    // Assert
    expect(second.failures.map((f) => [f.type, f.cause])).toEqual([['NodeCrash', 'crash']]);
    expect(second.unexplained).toBe(0);
  });

  it('keeps a traffic failure in hand present at once, without a second look', () => {
    // Arrange
    const known = [
      {
        key: 'PerformanceDegradation:api',
        type: 'PerformanceDegradation' as const,
        component: 'api',
        nodes: [],
        services: [API],
      },
    ];

    // Act
    const out = analyze(input(STORM, STORM_LOAD, { known })).result;

    // Assert
    expect(out.failures.map((f) => [f.key, f.cause])).toEqual([
      ['PerformanceDegradation:api', 'retry-storm'],
    ]);
    expect(out.newFailures).toEqual([]);
  });
});

describe('lifting a mitigation once the service is well again', () => {
  /** Shedding 56 % of 300 rps: 132 rps admitted, served in time, the queue empty. */
  const WELL: LoadEstimate = {
    originalRps: 132,
    attemptsRps: 132,
    throughputRps: 132,
    goodputRps: 131,
    backlog: 0,
  };

  it('lifts when the backlog has drained, goodput is back and the whole demand fits the capacity', () => {
    // Arrange: 300 rps of demand against 400 rps measured during the storm
    const s = { ...sample([], WELL, 0.56) };
    const mitigations = new Map([[API, { capacityRps: 400 }]]);

    // Act
    const out = analyze({ ...input([], WELL, { mitigations }), sample: s }).result;

    // Assert
    expect(out.failures.map((f) => [f.key, f.cause, f.services])).toEqual([
      ['lift:api', 'lift-mitigation', ['api']],
    ]);
  });

  it('keeps the mitigation while the whole demand would not fit (the spike is still on)', () => {
    // Arrange: 132 / (1 - 0.7) = 440 rps of demand, over 0.9 x 400
    const s = sample([], WELL, 0.7);
    const mitigations = new Map([[API, { capacityRps: 400 }]]);

    // Act
    const out = analyze({ ...input([], WELL, { mitigations }), sample: s }).result;

    // Assert
    expect(out.failures).toEqual([]);
  });

  it('readyToLift: drained, calm, in time and within capacity, each one needed', () => {
    // Arrange
    const ok = health(WELL, 0.56);

    // Act, Assert
    expect(readyToLift(ok, 400, [])).toBe(true);
    // 30 waiting at 132 rps is 227 ms of delay: not drained
    expect(readyToLift(health({ ...WELL, backlog: 30 }, 0.56), 400, [])).toBe(false);
    // 1.3 attempts per request: still retrying
    expect(readyToLift(health({ ...WELL, attemptsRps: 172 }, 0.56), 400, [])).toBe(false);
    // 120 of 132 answered in time: under 95 %
    expect(readyToLift(health({ ...WELL, goodputRps: 120 }, 0.56), 400, [])).toBe(false);
    // 300 rps of demand over 0.95 x 310
    expect(readyToLift(ok, 310, [])).toBe(false);
    // any symptom of the service
    const tail: Symptom = {
      kind: 'tail-latency',
      service: API,
      quantile: 'p99',
      latencyMs: 400,
      limitMs: 300,
      source: 'slo',
    };
    expect(readyToLift(ok, 400, [tail])).toBe(false);
  });
});
