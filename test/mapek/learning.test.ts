import { describe, expect, it } from 'vitest';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { MapekConfig } from '../../src/mapek/config.ts';
import { KnowledgeBase } from '../../src/mapek/knowledge-base.ts';
import { plan } from '../../src/mapek/planner.ts';
import { topologyOf } from '../../src/mapek/topology.ts';
import type { DetectedFailure, RecoveryOutcome } from '../../src/mapek/types.ts';
import { traceOf, worldWithLoop } from '../support/mapek.ts';

const crashOf = (node: string): DetectedFailure => ({
  key: `NodeCrash:${node}`,
  type: 'NodeCrash',
  component: node,
  nodes: [node as NodeId],
  services: ['api' as ServiceId],
  cause: 'crash',
  rootCause: 'test',
  severity: 1,
  evidence: ['heartbeat-silence'],
  detectedAtMs: 0,
});

const TOPOLOGY = topologyOf(
  0,
  ['node-1', 'node-2', 'node-3'].map((node, i) => ({
    replica: `api-${i + 1}` as ReplicaId,
    service: 'api' as ServiceId,
    node: node as NodeId,
    role: 'none' as const,
    inRotation: true,
    starting: false,
  })),
  new Map(),
);

const firstChoice = (knowledge: KnowledgeBase) =>
  plan({
    analysis: { failures: [crashOf('node-1')], newFailures: [], deferred: [], unexplained: 0 },
    topology: TOPOLOGY,
    suspected: ['node-1' as NodeId],
    knowledge,
    escalateAfterFailures: 2,
  }).plans[0]?.strategy;

const objectives = {
  cycleIntervalMs: 10_000,
  maxRecoveryTimeMs: 300_000,
  errorRateThreshold: 0.05,
  latencyThreshold: 2,
};

describe('learning: knowledge changes later plans', () => {
  it('the planner stops preferring a strategy that keeps failing for a failure type', () => {
    const knowledge = new KnowledgeBase(objectives, true);
    const before = firstChoice(knowledge);
    const failed: RecoveryOutcome = {
      key: 'NodeCrash:node-9',
      failureType: 'NodeCrash',
      strategy: 'failover-and-reboot',
      ok: false,
      durationMs: 1,
      reason: 'no capacity',
    };

    for (let i = 0; i < 3; i++) knowledge.apply({ type: 'knowledge.outcome', outcome: failed });

    expect(before).toBe('failover-and-reboot');
    expect(firstChoice(knowledge)).toBe('reboot-node');
  });

  it('in a world where rescheduling cannot work (every node full), later crashes are rebooted first', () => {
    const { world, loop } = worldWithLoop(
      {
        cluster: {
          nodes: { count: 6, cpu: 1 },
          services: [
            // No queues: the plans follow the recoveries, which a backlog to drain would shift (issue 13).
            { name: 'api', replicas: 3, capacityRps: 400, queueLimit: 0 },
            { name: 'orders', replicas: 3, capacityRps: 300, queueLimit: 0 },
          ],
        },
        workload: [
          { service: 'api', rps: 900 },
          { service: 'orders', rps: 500 },
        ],
        faults: [
          { at: '1m', kind: 'node-crash', target: 'node-1' },
          { at: '5m', kind: 'node-crash', target: 'node-2' },
          { at: '9m', kind: 'node-crash', target: 'node-3' },
        ],
      },
      MapekConfig.create(),
      { keepTrace: true },
    );

    loop.runContinuous(900_000);

    const firstPlans = ['node-1', 'node-2', 'node-3'].map(
      (n) =>
        traceOf(world.trace.recordedLines, 'mapek.planned').find((p) => p.failure === `NodeCrash:${n}`)
          ?.strategy,
    );
    // The failed failover no longer reboots in the background (a reboot waits for the failover to succeed),
    // so node-1 is rebooted by the fallback, and what that taught decides node-2 and node-3.
    expect(firstPlans).toEqual(['failover-and-reboot', 'reboot-node', 'reboot-node']);
    expect(loop.knowledge.stats('NodeCrash', 'failover-and-reboot')).toMatchObject({
      attempts: 1,
      successes: 0,
    });
    expect(world.outcome().measures[2]?.recoveredAtMs).not.toBeNull();
  });
});
