import { describe, expect, it } from 'vitest';
import { MapekConfig } from '../../src/mapek/config.ts';
import { LOAD, worldWithLoop } from '../support/mapek.ts';
import { buildWorld } from '../support/world.ts';

const MAX_RECOVERY = MapekConfig.DEFAULTS.maxRecoveryTimeMs;

/**
 * Each process fault, in api-2 on node-2 of the small world (api 900 rps over 3 x 400: losing one replica
 * breaks the level), the failure type and component the loop must name, and the strategy that cures it.
 */
const CASES = [
  {
    name: 'process-hang',
    fault: { at: '60s', kind: 'process-hang', target: 'replica:api-2' },
    diagnosis: 'ProcessFault',
    component: 'api-2',
    strategy: 'restart-in-place',
  },
  {
    name: 'crash-loop (a new version)',
    fault: { at: '60s', kind: 'crash-loop', target: 'replica:api-2', exitAfter: '10s' },
    diagnosis: 'BadDeploy',
    component: 'api',
    strategy: 'rollback',
  },
  {
    name: 'crash-loop (a local cause)',
    fault: { at: '60s', kind: 'crash-loop', target: 'replica:api-2', exitAfter: '10s', newVersion: false },
    diagnosis: 'ProcessFault',
    component: 'api-2',
    strategy: 'replace-replica',
  },
  {
    // The stateful orders' primary: promoted away from (its node is healthy), then replaced.
    name: 'crash-loop of a primary (a local cause)',
    fault: { at: '60s', kind: 'crash-loop', target: 'replica:orders-1', exitAfter: '10s', newVersion: false },
    diagnosis: 'ProcessFault',
    component: 'orders-1',
    strategy: 'replace-replica',
  },
  {
    name: 'bad-deploy',
    fault: {
      at: '60s',
      kind: 'bad-deploy',
      target: 'replica:api-2',
      replicas: 1,
      latencyFactor: 3,
      errorRate: '30%',
    },
    diagnosis: 'BadDeploy',
    component: 'api',
    strategy: 'rollback',
  },
  {
    // Every replica on the new version: no peer to compare with, the service's own symptoms and the version say it.
    name: 'bad-deploy to every replica',
    fault: {
      at: '60s',
      kind: 'bad-deploy',
      target: 'replica:api-1',
      replicas: '100%',
      latencyFactor: 3,
      errorRate: '30%',
    },
    diagnosis: 'BadDeploy',
    component: 'api',
    strategy: 'rollback',
  },
  {
    name: 'process-memory-leak',
    fault: { at: '60s', kind: 'process-memory-leak', target: 'replica:api-2', mbPerMinute: 96 },
    diagnosis: 'ProcessFault',
    component: 'api-2',
    strategy: 'replace-replica',
  },
] as const;

const RUN_MS = 900_000;
const SEEDS = [1, 2, 3];

describe('the loop tells each process fault, names its component and restores the level (ground truth)', () => {
  for (const c of CASES) {
    it.each(SEEDS)(`${c.name}, seed %i`, (seed) => {
      const { world, loop } = worldWithLoop({ faults: [c.fault] }, MapekConfig.create(), { seed });

      loop.runContinuous(RUN_MS);

      const outcome = world.outcome();
      const fault = outcome.faults[0];
      const m = outcome.measures[0];
      const first = world.detections.find((d) => d.atMs >= (fault?.injectedAtMs ?? 0));
      expect(m?.diagnosis).toBe(c.diagnosis);
      expect(first?.component).toBe(c.component);
      expect(world.detections.map((d) => d.diagnosis)).not.toContain('PerformanceDegradation');
      expect(m?.recoveredAtMs).not.toBeNull();
      expect((m?.recoveredAtMs ?? Number.POSITIVE_INFINITY) - (fault?.injectedAtMs ?? 0)).toBeLessThanOrEqual(
        MAX_RECOVERY,
      );
      expect(world.effectors.ledger.map((a) => a.request.kind)).toContain(
        c.strategy === 'rollback'
          ? 'rollback'
          : c.strategy === 'replace-replica'
            ? 'move-replica'
            : 'restart-replica',
      );
      // No node was touched: a process fault is no node's.
      expect(world.effectors.ledger.map((a) => a.request.kind)).not.toContain('restart-node');
    });
  }

  it('catches a leak before its OOM kill: replaced make-before-break, the level never left', () => {
    const { world, loop } = worldWithLoop({ faults: [CASES[6].fault] });

    loop.runContinuous(RUN_MS);

    const m = world.outcome().measures[0];
    expect(m?.impact).toBe(false);
    expect(world.chaos.records[0]?.clearedAtMs).toBeLessThan(300_000);
  });

  it('without the loop the same faults stay unrecovered (the checks above can fail)', () => {
    const unrecovered = CASES.map((c) => {
      const { world } = buildWorld({ workload: LOAD, faults: [c.fault] });
      world.runUntil(RUN_MS);
      return world.outcome().measures[0]?.recoveredAtMs === null;
    });

    expect(unrecovered).toEqual(CASES.map(() => true));
  });
});
