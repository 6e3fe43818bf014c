import { describe, expect, it } from 'vitest';
import { kubernetesController } from '../../src/policies/kubernetes/controller.ts';
import { oracleController } from '../../src/policies/oracle/controller.ts';
import { restartAlwaysController } from '../../src/policies/restart-always.ts';
import { SMALL_CLUSTER } from '../support/world.ts';
import { actionsOf, runWith, startsOf } from './support.ts';

// api-1 on node-1 .. api-3 on node-3: one replica a node; no effector failures, so the timings are exact.
const CLUSTER = { ...SMALL_CLUSTER, effectors: { failureRate: '0%' } };
const LIGHT = { cluster: CLUSTER, workload: [{ service: 'api', rps: 600 }] };
const at = (when: string, fault: Record<string, unknown>) => ({
  ...LIGHT,
  faults: [{ at: when, target: 'replica:api-1', ...fault }],
});

describe('kubernetes baseline and process faults', () => {
  it('restarts a hung container on its liveness probe, 30.5 s after it hangs, and the restart cures it', () => {
    // Probes at 70, 80 and 90 s fail; the third times out at 91 s: killed and restarted in place.
    const world = runWith(kubernetesController(), at('60500ms', { kind: 'process-hang' }), 300_000);

    expect(startsOf(world, 'restart-replica')).toEqual([91_000]);
    expect(world.chaos.records[0]?.clearedAtMs).toBe(91_000);
    expect(world.outcome().measures[0]).toMatchObject({ diagnosis: 'liveness-probe-failed' });
  });

  it('restarts a crash-looping container with the CrashLoopBackOff: at once, then after 10 s, 20 s, 40 s', () => {
    // Exits at 70 s, seen at the next PLEG relist (71 s), restarted at once; each restart runs 8 s to start and
    // 10 s before it exits again (seen 1 s later): 71 s, 90 + 10, 119 + 20, 158 + 40.
    const world = runWith(
      kubernetesController(),
      at('60s', { kind: 'crash-loop', exitAfter: '10s', newVersion: false }),
      250_000,
    );

    expect(startsOf(world, 'restart-replica')).toEqual([71_000, 100_000, 139_000, 198_000]);
    expect(world.chaos.records[0]?.clearedAtMs).toBeNull();
    expect(world.cluster.replica('api-1')?.restarts).toBe(4);
  });

  it('restarts an OOM-killed container, and its leak starts over', () => {
    // (512 - 128) MB at 96 MB/min: killed 4 min after 60 s, seen at 301 s, restarted at once; killed again 4 min
    // after it runs again (309 s + 240 s), seen at 550 s: 249 s of running is short of the 10 min that resets
    // the back-off, so the restart waits 10 s.
    const world = runWith(
      kubernetesController(),
      at('60s', { kind: 'process-memory-leak', mbPerMinute: 96 }),
      560_000,
    );

    expect(startsOf(world, 'restart-replica')).toEqual([301_000, 560_000]);
    expect(world.cluster.replica('api-1')?.lastTermination).toBe('OOMKilled');
  });

  it('does not roll back a bad deploy by itself', () => {
    const world = runWith(
      kubernetesController(),
      at('60s', { kind: 'bad-deploy', latencyFactor: 3, errorRate: '40%' }),
      600_000,
    );

    expect(actionsOf(world, 'rollback')).toEqual([]);
    expect(world.cluster.replica('api-1')?.version).toBe(2);
    expect(world.outcome().measures[0]?.recoveredAtMs).toBeNull();
  });
});

describe('restart-always and process faults', () => {
  it('restarts a hung replica once the load balancer has it out, which cures it', () => {
    const world = runWith(restartAlwaysController(), at('60s', { kind: 'process-hang' }), 300_000);

    expect(actionsOf(world, 'restart-replica').map((a) => a.request)).toEqual([
      { kind: 'restart-replica', replica: 'api-1' },
    ]);
    expect(world.chaos.records[0]?.clearedAtMs).not.toBeNull();
  });

  it('restarts a crash-looping replica again and again, never curing it', () => {
    const world = runWith(
      restartAlwaysController(),
      at('60s', { kind: 'crash-loop', exitAfter: '10s', newVersion: false }),
      400_000,
    );

    expect(actionsOf(world, 'restart-replica').length).toBeGreaterThanOrEqual(3);
    expect(world.chaos.records[0]?.clearedAtMs).toBeNull();
  });
});

describe('oracle and process faults', () => {
  it('promotes away from a crash-looping primary, then replaces it', () => {
    const world = runWith(
      oracleController(),
      {
        ...LIGHT,
        faults: [{ at: '60s', kind: 'crash-loop', target: 'replica:orders-1', newVersion: false }],
      },
      300_000,
    );

    expect(world.effectors.ledger.map((a) => a.request.kind)).toEqual(['promote-replica', 'move-replica']);
    expect(world.chaos.records[0]?.clearedAtMs).not.toBeNull();
  });

  it.each([
    ['process-hang', { kind: 'process-hang' }, 'restart-replica'],
    ['bad-deploy', { kind: 'bad-deploy', latencyFactor: 3, errorRate: '40%' }, 'rollback'],
    ['crash-loop of a new version', { kind: 'crash-loop', exitAfter: '10s' }, 'rollback'],
    [
      'crash-loop of a local cause',
      { kind: 'crash-loop', exitAfter: '10s', newVersion: false },
      'move-replica',
    ],
    ['process-memory-leak', { kind: 'process-memory-leak', mbPerMinute: 96 }, 'move-replica'],
  ] as const)('%s: answered the instant it lands, which clears it', (_name, fault, action) => {
    const world = runWith(oracleController(), at('60s', fault), 300_000);

    expect(world.effectors.ledger.map((a) => [a.request.kind, a.startedAtMs])).toEqual([[action, 60_000]]);
    expect(world.chaos.records[0]?.clearedAtMs).not.toBeNull();
    expect(world.detections[0]).toMatchObject({ component: 'api-1', atMs: 60_000 });
  });
});
