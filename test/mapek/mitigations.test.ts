import { describe, expect, it } from 'vitest';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { KnowledgeBase } from '../../src/mapek/knowledge-base.ts';
import type { MonitorSample } from '../../src/mapek/monitor.ts';
import { nothingNew } from '../../src/mapek/monitor-beat.ts';
import { plan } from '../../src/mapek/planner.ts';
import { shedToCapacity } from '../../src/mapek/shed-to-capacity.ts';
import { topologyOf } from '../../src/mapek/topology.ts';
import type { DetectedFailure } from '../../src/mapek/types.ts';
import { spikeShedFraction } from '../../src/policies/oracle/load-spike.ts';

const API = 'api' as ServiceId;

const TOPOLOGY = topologyOf(
  0,
  ['node-1', 'node-2', 'node-3'].map((node, i) => ({
    replica: `api-${i + 1}` as ReplicaId,
    service: API,
    node: node as NodeId,
    role: 'none' as const,
    inRotation: true,
    starting: false,
  })),
  new Map(),
);

const objectives = {
  cycleIntervalMs: 10_000,
  maxRecoveryTimeMs: 300_000,
  errorRateThreshold: 0.05,
  latencyThreshold: 2,
};

/** The metastable storm of the traffic model's test: 300 rps asked, 900 attempts, 400 served, 40 in time. */
const storm: DetectedFailure = {
  key: 'PerformanceDegradation:api',
  type: 'PerformanceDegradation',
  component: 'api',
  nodes: [],
  services: [API],
  cause: 'retry-storm',
  rootCause: 'test',
  severity: 1,
  evidence: ['retry-amplification', 'goodput-collapse'],
  detectedAtMs: 50_000,
  load: { originalRps: 300, attemptsRps: 900, throughputRps: 400, goodputRps: 40, backlog: 1_024 },
};

/** A cycle that saw nothing wrong. */
const EMPTY_SAMPLE: MonitorSample = {
  state: {
    observedAtMs: 100_000,
    scrapedAtMs: 100_000,
    metrics: {
      offeredRps: 300,
      servedRps: 300,
      errorRate: 0,
      latencyMs: 20,
      degradationPercent: 0,
      nodesResponding: 3,
      nodes: 3,
    },
    services: [],
    suspectedNodes: [],
  },
  symptoms: [],
};

const lift: DetectedFailure = {
  ...storm,
  key: 'lift:api',
  cause: 'lift-mitigation',
  evidence: [],
};

const planFor = (failure: DetectedFailure, knowledge = new KnowledgeBase(objectives, true)) =>
  plan({
    analysis: { failures: [failure], newFailures: [], deferred: [], unexplained: 0 },
    topology: TOPOLOGY,
    suspected: [],
    knowledge,
    escalateAfterFailures: 2,
  }).plans[0];

describe('the catalog against a retry storm', () => {
  it('sheds, under the storm budget, the share that brings the attempts to 80 % of what the replicas serve', () => {
    // (1 - f) x originals x 1.2 + 10 <= 0.8 x throughput, f rounded up to 5 % and kept in [5 %, 90 %]:
    // 300 asked of 400 served: 1 - 310 / 360 = 0.139, 15 %; 1350 of 1200: 1 - 950 / 1620 = 0.414, 45 %
    expect(shedToCapacity(300, 400)).toBe(0.15);
    expect(shedToCapacity(1_350, 1_200)).toBe(0.45);
    expect(shedToCapacity(100, 400)).toBe(0.05);
    expect(shedToCapacity(10_000, 400)).toBe(0.9);
    expect(shedToCapacity(0, 400)).toBe(0.05);
  });

  it('plans a retry budget with shedding to capacity first, and the budget alone as the alternative', () => {
    // Act
    const p = planFor(storm);

    // Assert
    expect(p?.strategy).toBe('shed-to-capacity');
    expect(p?.actions.map((a) => a.request)).toEqual([
      { kind: 'set-retry-budget', service: API, budget: { ratio: 0.2, minRetriesPerSecond: 10 } },
      { kind: 'shed-load', service: API, fraction: 0.15 },
    ]);
    expect(p?.alternatives.map((a) => a.strategy)).toEqual(['retry-budget']);
  });

  it('rolls back both the shedding and the retry budget when lifting', () => {
    // Act
    const p = planFor(lift);

    // Assert
    expect(p?.strategy).toBe('lift-mitigation');
    expect(p?.actions.map((a) => a.request)).toEqual([
      { kind: 'shed-load', service: API, fraction: 0 },
      { kind: 'set-retry-budget', service: API, budget: null },
    ]);
  });

  it('offers a retry budget to an overload only where clients retry', () => {
    // Arrange: escalated (two failed attempts)
    const knowledge = new KnowledgeBase(objectives, true);
    const overload = { ...storm, cause: 'overload' as const, evidence: ['backlog-growing' as const] };
    knowledge.apply({ type: 'knowledge.detected', failure: overload });
    knowledge.apply({
      type: 'knowledge.status',
      key: overload.key,
      status: 'awaiting-replan',
      escalated: true,
    });

    // Act
    const firstOnly = planFor(overload, knowledge);
    const retrying = planFor({ ...overload, evidence: ['retry-amplification'] }, knowledge);

    // Assert
    const all = (p: typeof firstOnly) => [p?.strategy, ...(p?.alternatives.map((a) => a.strategy) ?? [])];
    expect(all(firstOnly)).not.toContain('retry-budget');
    expect(all(retrying)).toContain('retry-budget');
  });
});

describe('knowledge keeps the mitigations the loop put on services', () => {
  it('from the start of a shedding recovery, with the capacity measured then, until it fails or is lifted', () => {
    // Arrange
    const k = new KnowledgeBase(objectives, true);
    k.apply({ type: 'knowledge.detected', failure: storm });

    // Act, Assert: started
    k.apply({ type: 'knowledge.status', key: storm.key, status: 'recovering', strategy: 'shed-to-capacity' });
    expect(k.mitigations.get(API)).toEqual({
      service: API,
      strategy: 'shed-to-capacity',
      sinceMs: 50_000,
      capacityRps: 400,
    });
    // failed: its shedding is rolled back
    k.apply({ type: 'knowledge.status', key: storm.key, status: 'awaiting-replan' });
    expect(k.mitigations.size).toBe(0);
    // a retry budget, verified: it stays
    k.apply({ type: 'knowledge.status', key: storm.key, status: 'recovering', strategy: 'retry-budget' });
    k.apply({ type: 'knowledge.forget', key: storm.key });
    expect(k.mitigations.get(API)?.strategy).toBe('retry-budget');
    // lifted
    k.apply({ type: 'knowledge.detected', failure: lift });
    k.apply({ type: 'knowledge.status', key: lift.key, status: 'recovering', strategy: 'lift-mitigation' });
    expect(k.mitigations.size).toBe(0);
    // the lift failed (a transient effector failure): the budget is still on, and so is its record
    k.apply({ type: 'knowledge.status', key: lift.key, status: 'awaiting-replan' });
    expect(k.mitigations.get(API)?.strategy).toBe('retry-budget');
  });

  it('makes every cycle look at the service while a mitigation is in place', () => {
    // Arrange
    const k = new KnowledgeBase(objectives, true);
    const quiet = EMPTY_SAMPLE;
    const before = nothingNew(quiet, k);
    k.apply({ type: 'knowledge.detected', failure: storm });
    k.apply({ type: 'knowledge.status', key: storm.key, status: 'recovering', strategy: 'shed-to-capacity' });
    k.apply({ type: 'knowledge.forget', key: storm.key });

    // Act
    const after = nothingNew(quiet, k);

    // Assert
    expect(before).toBe(true);
    expect(after).toBe(false);
  });
});

describe("the oracle's answer to a load spike", () => {
  it('sheds exactly the excess over 95 % of the capacity, rounded up to a hundredth', () => {
    // 1 - 0.95 x 400 / 600 = 0.3667, up to 0.37; a load that fits sheds nothing
    expect(spikeShedFraction(600, 400)).toBe(0.37);
    expect(spikeShedFraction(380, 400)).toBe(0);
    expect(spikeShedFraction(0, 400)).toBe(0);
  });
});
