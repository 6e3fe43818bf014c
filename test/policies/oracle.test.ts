import { describe, expect, it } from 'vitest';
import { oracleController } from '../../src/policies/oracle/controller.ts';
import { FLUID_CLUSTER, nodeOf, SMALL_CLUSTER, serviceOf, traceTime } from '../support/world.ts';
import { actionsOf, runWith } from './support.ts';

const LOAD = {
  workload: [
    { service: 'api', rps: 900 },
    { service: 'orders', rps: 500, writeRatio: '30%' },
  ],
};
const START_MS = 8_000;
const LB_INTERVAL_MS = 2_000;
const LB_HEALTHY_THRESHOLD = 2;

describe('oracle: the best action at the instant of injection', () => {
  it("moves a crashed node's replica at once: MTTR is the start time plus the load balancer's lag", () => {
    const world = runWith(
      oracleController(),
      // Without queues: the lag is the load balancer's alone, with no backlog built during the outage to drain.
      { cluster: FLUID_CLUSTER, ...LOAD, faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }] },
      300_000,
    );

    const m = world.outcome().measures[0];
    const inRotationAt = traceTime(world, 'lb.in', 'api-4');
    const lbLag = inRotationAt - (60_000 + START_MS);

    expect(actionsOf(world, 'move-replica').map((a) => [a.startedAtMs, a.finishedAtMs, a.ok])).toEqual([
      [60_000, 60_000 + START_MS, true],
    ]);
    expect(m).toMatchObject({ mttdMs: 0, impactStartMs: 60_000, recoveredAtMs: inRotationAt });
    // The new replica joins after `healthyThreshold` passing checks: more than one interval, at most two.
    expect(lbLag).toBeGreaterThan((LB_HEALTHY_THRESHOLD - 1) * LB_INTERVAL_MS);
    expect(lbLag).toBeLessThanOrEqual(LB_HEALTHY_THRESHOLD * LB_INTERVAL_MS);
    expect(m?.mttrMs).toBe(START_MS + lbLag);
    expect(nodeOf(world, 'node-1').state).toBe('up');
  });

  it('fails a lost primary over as fast as its lease allows, losing no write, restores three replicas, and the role goes home', () => {
    // The crashed primary's 10 s lease must run out before a promotion is safe: writes are back at 70 s. Orders
    // at 400 rps a replica: the new primary carries its 150 writes/s besides half the 350 reads/s (325 rps) until
    // the replacement started at 60 s has copied its snapshot and joined; the deposed primary is deleted once the
    // promotion is done.
    const cluster = {
      ...SMALL_CLUSTER,
      services: SMALL_CLUSTER.services.map((s) => (s.name === 'orders' ? { ...s, capacityRps: 400 } : s)),
    };
    const world = runWith(
      oracleController(),
      { cluster, ...LOAD, faults: [{ at: '60s', kind: 'node-crash', target: 'primary-of:orders' }] },
      300_000,
    );

    const outcome = world.outcome();
    const promote = actionsOf(world, 'promote-replica')[0];

    expect(promote).toMatchObject({ startedAtMs: 60_000, finishedAtMs: 70_000, ok: true });
    expect(outcome.measures[0]).toMatchObject({ mttdMs: 0, mttrMs: 10_000 });
    expect(outcome.lostWrites).toBe(0);
    expect(outcome.splitBrainMs).toBe(0);
    // Once node-4 is back, a replica there takes the primary role back (src/policies/oracle/primary-homes.ts).
    expect(serviceOf(world, 'orders').replicas.map((r) => `${r.node.id}:${r.role}:${r.state}`)).toEqual([
      'node-5:replica:running',
      'node-1:replica:running',
      'node-4:primary:running',
    ]);
  });

  it('evacuates a leaking node before the leak hurts, so the fault never leaves the healthy level', () => {
    // 10 %/min from 45 % reaches the first pressure band (85 %) after 4 minutes: time enough to start a
    // replacement, drain the node once the replacement serves, and reboot the node to wipe the leak.
    const world = runWith(
      oracleController(),
      {
        ...LOAD,
        faults: [
          { at: '60s', kind: 'resource-exhaustion', target: 'node-1', resource: 'memory', leak: '10%' },
        ],
      },
      600_000,
    );

    const outcome = world.outcome();

    expect(outcome.measures[0]).toMatchObject({ impact: false, mttrMs: 0, mttdMs: 0 });
    expect(actionsOf(world, 'restart-node')).toHaveLength(1);
    expect(outcome.faults[0]?.clearedAtMs).not.toBeNull();
    expect(serviceOf(world, 'api').replicas).toHaveLength(3);
    expect(nodeOf(world, 'node-1').condition.memoryUse).toBeLessThan(0.5);
  });

  it('grows a full disk in place, the fastest fix: MTTR is the raise-limit time', () => {
    const world = runWith(
      oracleController(),
      {
        ...LOAD,
        faults: [
          { at: '60s', kind: 'resource-exhaustion', target: 'node-1', resource: 'disk', level: '100%' },
        ],
      },
      300_000,
    );

    expect(actionsOf(world, 'raise-limit').map((a) => [a.startedAtMs, a.finishedAtMs])).toEqual([
      [60_000, 65_000],
    ]);
    expect(world.outcome().measures[0]).toMatchObject({ mttdMs: 0, mttrMs: 5_000 });
  });

  it('waits out a full disk that ends before raise-limit would: MTTR is the fault, no action taken', () => {
    const world = runWith(
      oracleController(),
      {
        ...LOAD,
        faults: [
          {
            at: '60s',
            kind: 'resource-exhaustion',
            target: 'node-1',
            resource: 'disk',
            level: '100%',
            duration: '4s',
          },
        ],
      },
      300_000,
    );

    expect(actionsOf(world, 'raise-limit')).toEqual([]);
    expect(world.outcome().measures[0]).toMatchObject({ mttdMs: 0, mttrMs: 4_000 });
  });

  it('moves replicas off a node cut off from the control plane, to a node no fault holds', () => {
    const world = runWith(
      oracleController(),
      { ...LOAD, faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-2', duration: '5m' }] },
      300_000,
    );

    expect(actionsOf(world, 'move-replica').map((a) => [a.startedAtMs, a.request])).toEqual([
      // The fence names the destination (fewest api replicas, no fault) rather than leave it to the scheduler.
      [60_000, { kind: 'move-replica', replica: 'api-2', toNode: 'node-4' }],
    ]);
    expect(world.outcome().measures[0]?.mttdMs).toBe(0);
  });
});
