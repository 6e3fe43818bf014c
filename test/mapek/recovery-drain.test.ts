import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ActionRequest } from '../../src/cluster/actions.ts';
import type { ServiceId } from '../../src/cluster/ids.ts';
import type { MonitorSample } from '../../src/mapek/monitor.ts';
import { RecoveryTracker } from '../../src/mapek/recovery-tracker.ts';
import type { AnalysisResult, DetectedFailure, LoadEstimate, RecoveryPlan } from '../../src/mapek/types.ts';

const API = 'api' as ServiceId;

const STORM: DetectedFailure = {
  key: 'PerformanceDegradation:api',
  type: 'PerformanceDegradation',
  component: 'api',
  nodes: [],
  services: [API],
  cause: 'retry-storm',
  rootCause: 'test',
  severity: 1,
  evidence: ['retry-amplification', 'goodput-collapse'],
  detectedAtMs: 0,
  load: { originalRps: 900, attemptsRps: 2_700, throughputRps: 1_200, goodputRps: 0, backlog: 3_000 },
};

const SHED: ActionRequest = { kind: 'shed-load', service: API, fraction: 0.45 };

const PLAN: RecoveryPlan = {
  failure: STORM,
  strategy: 'shed-to-capacity',
  actions: [{ type: 'Reconfigure', request: SHED, stage: 0, reversible: true, background: false }],
  expectedRecoveryMs: 25_000,
  expectedUtility: 40,
  cost: 8,
  risk: 0.4,
  attempt: 1,
  escalated: false,
  alternatives: [],
};

/** A tracker on a hand-turned clock whose effector actions finish when told. */
const tracker = () => {
  let now = 0;
  const pending: ((o: ActionOutcome) => void)[] = [];
  const t = new RecoveryTracker(
    {
      dispatch: (_request, onDone) => pending.push(onDone),
      deliver: (key, attempt, outcome) => t.actionDone(key, attempt, outcome),
      learn: () => {},
      trace: () => {},
      nowMs: () => now,
    },
    300_000,
    15_000,
  );
  return {
    t,
    at: (ms: number) => {
      now = ms;
    },
    finish: () => {
      for (const done of pending.splice(0))
        done({ ok: true, id: 1, request: SHED, startedAtMs: 0, finishedAtMs: now, lostWrites: 0 });
    },
  };
};

/** A scrape at `atMs` showing the api's queue and the storm still diagnosed. */
const sample = (atMs: number, load: LoadEstimate): MonitorSample => ({
  state: {
    observedAtMs: atMs,
    scrapedAtMs: atMs,
    metrics: {
      offeredRps: 0,
      servedRps: 0,
      errorRate: 0,
      latencyMs: 0,
      degradationPercent: 0,
      nodesResponding: 3,
      nodes: 3,
    },
    services: [
      {
        service: API,
        offeredRps: 900,
        servedRps: load.throughputRps,
        errorRate: 0.45,
        latencyMs: 900,
        baselineLatencyMs: 20,
        shedFraction: 0.45,
        load,
      },
    ],
    suspectedNodes: [],
  },
  symptoms: [],
});

const stillThere: AnalysisResult = {
  failures: [STORM],
  newFailures: [],
  deferred: [],
  unexplained: 0,
};

/** The storm's queue under the cure: 495 attempts a second against 1200 served. */
const draining = (backlog: number): LoadEstimate => ({
  originalRps: 495,
  attemptsRps: 495,
  throughputRps: 1_200,
  goodputRps: 0,
  backlog,
});

describe('a recovery whose queue is draining is not judged yet', () => {
  it('waits while the backlog shrinks, on each new scrape once, and judges the scrape that shows no progress', () => {
    // Arrange: the shedding lands at 1 s
    const { t, at, finish } = tracker();
    t.start(PLAN);
    at(1_000);
    finish();

    // Act, Assert: fresh at 20 s, 1500 waiting of the 3000 at detection: draining
    at(20_000);
    expect(t.review(sample(20_000, draining(1_500)), stillThere).failed).toEqual([]);
    // the same scrape again: the same answer
    at(22_000);
    expect(t.review(sample(20_000, draining(1_500)), stillThere).failed).toEqual([]);
    // drained at 30 s: the scrape still averages the drain, one more
    at(30_000);
    expect(t.review(sample(30_000, draining(0)), stillThere).failed).toEqual([]);
    // no more progress at 40 s, and still diagnosed: the cure failed
    at(40_000);
    const last = t.review(sample(40_000, { ...draining(0), throughputRps: 495 }), stillThere);
    expect(last.failed.map((o) => o.reason)).toEqual(['still failing after recovery']);
    expect(last.rolledBack).toBe(1);
  });

  it('waits while the replicas serve faster than requests arrive, however slowly the gauge moves', () => {
    // Arrange
    const { t, at, finish } = tracker();
    t.start(PLAN);
    at(1_000);
    finish();
    at(20_000);
    t.review(sample(20_000, draining(2_990)), stillThere);

    // Act: 2 % less queued (within the gauge's noise), but 1200 served against 495 arriving
    at(25_000);
    const out = t.review(sample(25_000, draining(2_930)), stillThere);

    // Assert
    expect(out.failed).toEqual([]);
    expect(t.inFlight).toBe(1);
  });

  it('judges at once a recovery whose service has no queue', () => {
    // Arrange
    const { t, at, finish } = tracker();
    t.start({ ...PLAN, failure: { ...STORM, load: { ...draining(0), backlog: 0 } } });
    at(1_000);
    finish();

    // Act
    at(20_000);
    const out = t.review(sample(20_000, { ...draining(0), throughputRps: 495 }), stillThere);

    // Assert
    expect(out.failed.map((o) => o.reason)).toEqual(['still failing after recovery']);
  });
});
