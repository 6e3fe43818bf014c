import { describe, expect, it } from 'vitest';
import type { ActionRequest } from '../../src/cluster/actions.ts';
import type { ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import type { World } from '../../src/world/world.ts';
import { LOAD } from '../support/mapek.ts';
import { buildWorld, nodeOf, SMALL_CLUSTER, traceTime } from '../support/world.ts';

/**
 * Faults inside a process, on the small world (api-1..3 on node-1..3, 3 x 400 rps for 900 rps; orders on
 * node-4..6), each injected at 60 s into api-2 on node-2. Ground truth read directly.
 */

const at60 = (fault: Record<string, unknown>) =>
  buildWorld(
    {
      workload: LOAD,
      // No effector failures: these tests are about what each action cures, not about its coin.
      cluster: { ...SMALL_CLUSTER, effectors: { failureRate: '0%' } },
      faults: [{ at: '60s', target: 'replica:api-2', ...fault }],
    },
    1,
    true,
  ).world;

const api2 = (world: World) => {
  const r = world.cluster.replica('api-2');
  if (r === undefined) throw new Error('no api-2');
  return r;
};

const act = (world: World, request: ActionRequest) => {
  const outcomes: boolean[] = [];
  world.effectors.execute(request, (o) => outcomes.push(o.ok));
  return outcomes;
};

const restart: ActionRequest = { kind: 'restart-replica', replica: 'api-2' as ReplicaId };
const rollback: ActionRequest = { kind: 'rollback', service: 'api' as ServiceId };

describe('process-hang', () => {
  it('stops the replica answering while its node stays healthy: probes fail, the balancer takes it out', () => {
    const world = at60({ kind: 'process-hang' });

    world.runUntil(120_000);

    const r = api2(world);
    expect(r.hung).toBe(true);
    expect(r.lbHealthy).toBe(false);
    expect(world.sensors.livenessProbe(r.id, 1_000)).toBe(false);
    expect(nodeOf(world, 'node-2').state).toBe('up');
    expect(nodeOf(world, 'node-2').condition.capacityFactor).toBe(1);
    expect(world.chaos.records[0]?.components).toEqual(['api-2', 'api']);
  });

  it('is cured by a restart of the replica, which clears the fault', () => {
    const world = at60({ kind: 'process-hang' });
    world.runUntil(120_000);

    const outcomes = act(world, restart);
    world.runUntil(160_000);

    expect(outcomes).toEqual([true]);
    expect(api2(world).hung).toBe(false);
    expect(api2(world).lbHealthy).toBe(true);
    expect(api2(world).restarts).toBe(1);
    expect(world.chaos.records[0]?.clearedAtMs).toBe(120_000);
  });
});

describe('crash-loop', () => {
  it('exits exitAfter into each start with an Error, and a restart does not cure it', () => {
    const world = at60({ kind: 'crash-loop', exitAfter: '10s' });
    world.runUntil(75_000);

    expect(traceTime(world, 'replica.exited', 'api-2')).toBe(70_000);
    expect(api2(world).state).toBe('stopped');
    expect(world.sensors.container('api-2' as ReplicaId)).toMatchObject({
      version: 2,
      previousVersion: 1,
      restarts: 0,
      lastTermination: 'Error',
      lastTerminationAtMs: 70_000,
      running: false,
    });

    act(world, restart);
    // Restarted at 75 s, running at 83 s (an 8 s start), exits again at 93 s.
    world.runUntil(90_000);
    expect(api2(world).state).toBe('running');
    world.runUntil(95_000);

    expect(api2(world).state).toBe('stopped');
    expect(api2(world).restarts).toBe(1);
    expect(api2(world).lastTerminationAtMs).toBe(93_000);
    expect(world.chaos.records[0]?.clearedAtMs).toBeNull();
  });

  it('is cured by a rollback to the previous version', () => {
    const world = at60({ kind: 'crash-loop', exitAfter: '10s' });
    world.runUntil(75_000);

    const outcomes = act(world, rollback);
    world.runUntil(200_000);

    expect(outcomes).toEqual([true]);
    expect(api2(world)).toMatchObject({ state: 'running', version: 1, restarts: 0, lastTermination: null });
    expect(world.chaos.records[0]?.clearedAtMs).toBe(75_000);
  });

  it('with a local cause (no new version) leaves nothing to roll back; a replacement is a fresh process', () => {
    const world = at60({ kind: 'crash-loop', newVersion: false });
    world.runUntil(75_000);

    const rolled = act(world, rollback);
    const moved = act(world, { kind: 'move-replica', replica: 'api-2' as ReplicaId });
    world.runUntil(200_000);

    expect(rolled).toEqual([false]);
    expect(moved).toEqual([true]);
    expect(world.cluster.replica('api-2')).toBeUndefined();
    expect(world.chaos.records[0]?.clearedAtMs).not.toBeNull();
  });
});

describe('bad-deploy', () => {
  it('puts a new version on the replicas it reaches, slower and failing; a restart keeps it', () => {
    const world = at60({ kind: 'bad-deploy', replicas: 2, latencyFactor: 3, errorRate: '40%' });
    world.runUntil(90_000);

    const versions = world.sensors.containers('api' as ServiceId).map((c) => [c.replica, c.version]);
    expect(versions).toEqual([
      ['api-1', 1],
      ['api-2', 2],
      ['api-3', 2],
    ]);
    const r = api2(world);
    expect(r.processErrorRate).toBeCloseTo(0.4, 12);
    // 300 rps routed to it, 40 % of what it serves fails.
    expect(r.failedRps / (r.servedRps + r.failedRps)).toBeCloseTo(0.4, 6);
    expect(world.cluster.service('api')?.levelOk).toBe(false);

    act(world, restart);
    world.runUntil(120_000);
    expect(api2(world).processErrorRate).toBeCloseTo(0.4, 12);
    expect(world.chaos.records[0]?.clearedAtMs).toBeNull();
  });

  it('is cured by a rollback: every replica back on version 1, the fault cleared, the level back', () => {
    const world = at60({ kind: 'bad-deploy', replicas: '50%', latencyFactor: 3, errorRate: '40%' });
    world.runUntil(90_000);

    const outcomes = act(world, rollback);
    world.runUntil(200_000);

    expect(outcomes).toEqual([true]);
    expect(world.sensors.containers('api' as ServiceId).map((c) => c.version)).toEqual([1, 1, 1]);
    expect(api2(world).processErrorRate).toBe(0);
    expect(world.chaos.records[0]?.clearedAtMs).not.toBeNull();
    expect(world.cluster.service('api')?.levelOk).toBe(true);
  });
});

describe('process-memory-leak', () => {
  // The container's limit is 512 MB and it starts at a quarter of it, 128 MB; it grows 96 MB a minute.
  const leak = { kind: 'process-memory-leak', mbPerMinute: 96 };

  it('OOM-kills the container at (limit - start) / rate: (512 - 128) / 96 = 4 min after it began', () => {
    const world = at60(leak);
    world.runUntil(120_000);

    // 60 s of growth: 128 + 96 = 224 MB, and the node's own memory is untouched.
    expect(world.sensors.container('api-2' as ReplicaId)?.memoryMb).toBeCloseTo(224, 9);
    expect(nodeOf(world, 'node-2').condition.memoryUse).toBe(nodeOf(world, 'node-1').condition.memoryUse);
    world.runUntil(310_000);

    expect(traceTime(world, 'replica.exited', 'api-2')).toBe(300_000);
    expect(api2(world)).toMatchObject({ state: 'stopped', lastTermination: 'OOMKilled' });
    expect(nodeOf(world, 'node-2').state).toBe('up');
  });

  it('starts over after a restart: the memory back at its start, the next kill (limit - start) / rate later', () => {
    const world = at60(leak);
    world.runUntil(200_000);

    act(world, restart);
    // Running again at 208 s, at 128 MB: 1.6 MB more a second later.
    world.runUntil(209_000);
    expect(world.sensors.container('api-2' as ReplicaId)?.memoryMb).toBeCloseTo(129.6, 9);
    world.runUntil(460_000);

    expect(api2(world).lastTerminationAtMs).toBe(208_000 + 240_000);
    expect(world.chaos.records[0]?.clearedAtMs).toBeNull();
  });

  it('is cured by the fault ending: growth stops', () => {
    const world = at60({ ...leak, duration: '1m' });
    world.runUntil(200_000);

    expect(world.chaos.records[0]?.clearedAtMs).toBe(120_000);
    expect(api2(world).state).toBe('running');
    expect(world.sensors.container('api-2' as ReplicaId)?.memoryMb).toBeCloseTo(224, 9);
  });
});

describe('the random generator', () => {
  it('draws every process kind, each landing in one replica on the drawn node', () => {
    const { world } = buildWorld({
      workload: LOAD,
      faults: [
        {
          random: {
            meanInterval: '1m',
            kinds: { 'process-hang': 1, 'crash-loop': 1, 'bad-deploy': 1, 'process-memory-leak': 1 },
            duration: '30s',
          },
        },
      ],
    });

    world.runUntil(3_600_000);

    const records = world.chaos.records;
    expect(new Set(records.map((r) => r.kind))).toEqual(
      new Set(['process-hang', 'crash-loop', 'bad-deploy', 'process-memory-leak']),
    );
    for (const r of records) {
      const [replica, service] = r.components;
      expect(r.components).toHaveLength(2);
      expect(world.cluster.replicaRecord(replica ?? '')?.node.id).toBe(r.targets[0]);
      expect(service).toBe(world.cluster.replicaRecord(replica ?? '')?.service.spec.name);
      expect(r.clearedAtMs).not.toBeNull();
    }
  });
});
