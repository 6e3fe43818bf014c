import { describe, expect, it } from 'vitest';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { analyze } from '../../src/mapek/analysis.ts';
import type { AnalysisInput } from '../../src/mapek/analysis-input.ts';
import { isBridge, KnowledgeBase } from '../../src/mapek/knowledge-base.ts';
import type { MonitorSample } from '../../src/mapek/monitor.ts';
import { leadTimeShedFraction } from '../../src/mapek/overload-shedding.ts';
import { plan } from '../../src/mapek/planner.ts';
import { topologyOf } from '../../src/mapek/topology.ts';
import { diagnoseTraffic } from '../../src/mapek/traffic-diagnosis.ts';
import type { DetectedFailure, LoadEstimate, ServiceHealth, Symptom } from '../../src/mapek/types.ts';

const API = 'api' as ServiceId;

/** api-1..4 on node-1..4, all serving: overload-queueing's api. */
const TOPOLOGY = topologyOf(
  0,
  [1, 2, 3, 4].map((n) => ({
    replica: `api-${n}` as ReplicaId,
    service: API,
    node: `node-${n}` as NodeId,
    role: 'none' as const,
    inRotation: true,
    starting: false,
  })),
  new Map(),
);

/** overload-queueing 5 s into its spike: 1,800 attempts on 4 x 400 rps, 1,040 queued. */
const SPIKE: LoadEstimate = {
  originalRps: 1_800,
  attemptsRps: 1_800,
  throughputRps: 1_600,
  goodputRps: 1_600,
  backlog: 1_040,
};

const overload = (load: LoadEstimate): DetectedFailure => ({
  key: 'PerformanceDegradation:api',
  type: 'PerformanceDegradation',
  component: 'api',
  nodes: [],
  services: [API],
  cause: 'overload',
  rootCause: 'test',
  severity: 0.6,
  evidence: ['backlog-growing', 'tail-latency'],
  detectedAtMs: 125_000,
  load,
});

const objectives = {
  cycleIntervalMs: 2_000,
  maxRecoveryTimeMs: 120_000,
  errorRateThreshold: 0.05,
  latencyThreshold: 2,
};

const planFor = (failure: DetectedFailure) =>
  plan({
    analysis: { failures: [failure], newFailures: [], deferred: [], unexplained: 0 },
    topology: TOPOLOGY,
    suspected: [],
    knowledge: new KnowledgeBase(objectives, true),
    escalateAfterFailures: 2,
  }).plans[0];

describe('the share shed while an overload scale-out starts', () => {
  it('overload-queueing at detection: 1,800 attempts on 1,600 served with 1,040 queued shed 30 %', () => {
    // Arrange: let through 0.9 x 1,600 = 1,440, less 1,040 / 6 s = 173.3 to drain the queue: 1,266.7 of
    // 1,800, so 1 - 1,266.7 / 1,800 = 0.2963, rounded up to 0.30.
    const load = SPIKE;

    // Act
    const fraction = leadTimeShedFraction(load);

    // Assert
    expect(fraction).toBe(0.3);
  });

  it('sheds nothing without an excess beyond the noise, or with nothing served, and at most half', () => {
    // 1,640 of 1,600 is 2.5 % over: noise; 5,000 on 1,000 would shed 82 %: capped at 50 %
    expect(leadTimeShedFraction({ ...SPIKE, attemptsRps: 1_640, backlog: 0 })).toBe(0);
    expect(leadTimeShedFraction({ ...SPIKE, throughputRps: 0 })).toBe(0);
    expect(leadTimeShedFraction({ ...SPIKE, attemptsRps: 5_000, throughputRps: 1_000, backlog: 0 })).toBe(
      0.5,
    );
  });
});

describe('the plan for an overload with an excess', () => {
  it('sheds that share and scales out in one stage, the scale-out alone as the alternative', () => {
    // Act
    const p = planFor(overload(SPIKE));

    // Assert
    expect(p?.strategy).toBe('shed-while-scaling');
    expect(p?.actions.map((a) => [a.request, a.stage, a.reversible])).toEqual([
      [{ kind: 'shed-load', service: API, fraction: 0.3 }, 0, true],
      [{ kind: 'scale-out', service: API, count: 2 }, 0, true],
    ]);
    expect(p?.alternatives.map((a) => a.strategy)).toEqual(['scale-out']);
  });

  it('scales out alone, refusing nobody, where the replicas still carry the attempts', () => {
    // Arrange: the latency is over its objective, but 1,500 attempts fit 1,600 served
    const failure = overload({ ...SPIKE, originalRps: 1_500, attemptsRps: 1_500, backlog: 0 });

    // Act
    const p = planFor(failure);

    // Assert
    expect(p?.strategy).toBe('scale-out');
    expect(p?.actions.map((a) => a.request.kind)).toEqual(['scale-out']);
  });

  it("sizes from the clients' whole demand when the scrape was taken under shedding", () => {
    // Arrange: 20 % shed at the door, 1,440 of 1,800 let through
    const admitted: LoadEstimate = { ...SPIKE, originalRps: 1_440, attemptsRps: 1_440 };
    const health: ServiceHealth = {
      service: API,
      offeredRps: 1_800,
      servedRps: 1_600,
      errorRate: 0.2,
      latencyMs: 700,
      baselineLatencyMs: 24,
      shedFraction: 0.2,
      load: admitted,
    };
    const symptoms: Symptom[] = [
      { kind: 'backlog-growing', service: API, backlog: 1_040, growthPerSec: 60, delayMs: 650 },
    ];

    // Act
    const d = diagnoseTraffic(API, symptoms, health);

    // Assert: 1,440 / 0.8 = 1,800 asked
    expect(d.load).toEqual(SPIKE);
  });
});

describe('the shedding is lifted once the new replicas serve and the backlog has drained', () => {
  /** Shedding 30 % of 1,800: 1,260 admitted, served in time, the queue empty. */
  const DRAINED: LoadEstimate = {
    originalRps: 1_260,
    attemptsRps: 1_260,
    throughputRps: 1_260,
    goodputRps: 1_260,
    backlog: 0,
  };

  const sample: MonitorSample = {
    state: {
      observedAtMs: 140_000,
      scrapedAtMs: 140_000,
      metrics: {
        offeredRps: 1_800,
        servedRps: 1_260,
        errorRate: 0.3,
        latencyMs: 24,
        degradationPercent: 0,
        nodesResponding: 4,
        nodes: 4,
      },
      services: [
        {
          service: API,
          offeredRps: 1_800,
          servedRps: 1_260,
          errorRate: 0.3,
          latencyMs: 24,
          baselineLatencyMs: 24,
          shedFraction: 0.3,
          load: DRAINED,
        },
      ],
      suspectedNodes: [],
      topology: TOPOLOGY,
    },
    symptoms: [],
  };

  /** The overload's recovery still in hand (being verified), its mitigation recorded. */
  const input = (capacityRps: number, bridge: boolean): AnalysisInput => ({
    sample,
    nowMs: 140_000,
    missedHeartbeats: 3,
    heartbeatIntervalMs: 1_000,
    known: [
      {
        key: 'PerformanceDegradation:api',
        type: 'PerformanceDegradation',
        component: 'api',
        nodes: [],
        services: [API],
      },
    ],
    streaks: new Map(),
    mitigations: new Map([[API, { capacityRps, bridge }]]),
  });

  const lifts = (i: AnalysisInput) =>
    analyze(i)
      .result.failures.filter((f) => f.cause === 'lift-mitigation')
      .map((f) => f.key);

  it('lifts a bridge while its recovery is still verified, once 6 replicas in rotation fit the demand', () => {
    // 1,260 / 0.7 = 1,800 asked, within 0.95 x 2,400
    expect(lifts(input(2_400, true))).toEqual(['lift:api']);
  });

  it('keeps it while only the 4 replicas serve, and keeps other mitigations while their failure is in hand', () => {
    // 1,800 asked over 0.95 x 1,600; a storm's shedding waits for its recovery's verdict
    expect(lifts(input(1_600, true))).toEqual([]);
    expect(lifts(input(2_400, false))).toEqual([]);
  });

  it('knowledge records the shedding as a bridge mitigation when its recovery starts', () => {
    // Arrange
    const k = new KnowledgeBase(objectives, true);
    const failure = overload(SPIKE);
    k.apply({ type: 'knowledge.detected', failure });

    // Act
    k.apply({
      type: 'knowledge.status',
      key: failure.key,
      status: 'recovering',
      strategy: 'shed-while-scaling',
    });

    // Assert
    const m = k.mitigations.get(API);
    expect(m).toEqual({ service: API, strategy: 'shed-while-scaling', sinceMs: 125_000, capacityRps: 1_600 });
    expect(m === undefined ? false : isBridge(m)).toBe(true);
    expect(isBridge({ strategy: 'shed-to-capacity' })).toBe(false);
  });
});
