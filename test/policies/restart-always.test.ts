import { describe, expect, it } from 'vitest';
import { restartAlwaysController } from '../../src/policies/restart-always.ts';
import { actionsOf, runWith, startsOf } from './support.ts';

const API = { workload: [{ service: 'api', rps: 900 }] };

describe('restart-always baseline: restart whatever looks down, backing off on repeats', () => {
  it('restarts a crashed node within one check period of it going silent, once', () => {
    // Crash at 60 s; last heartbeat 59.02 s; silent (3 missed 1 s heartbeats) from 62.02 s; checks every 5 s:
    // the 65 s check restarts it. It boots in 45 s and stays up: no second restart.
    const world = runWith(
      restartAlwaysController(),
      { ...API, faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }] },
      300_000,
    );

    const restarts = actionsOf(world, 'restart-node');

    expect(restarts.map((a) => [a.startedAtMs, a.finishedAtMs, a.request])).toEqual([
      [65_000, 110_000, { kind: 'restart-node', node: 'node-1' }],
    ]);
    expect(world.outcome().measures[0]).toMatchObject({ mttdMs: 5_000, diagnosis: 'node-down' });
    expect(world.cluster.service('api')?.servedRps).toBeCloseTo(900, 6);
  });

  it('backs off 10 s, 20 s, 40 s ... when restarting does not help (a node cut off for 10 minutes)', () => {
    // Each reboot ends with the node still silent; the first check after it (3 s of grace for a heartbeat) sees
    // it down again, and the next restart waits the back-off from there: boots end at 110, 170, 240, 330, 460 s,
    // failures are seen at 115, 175, 245, 335, 465 s, restarts follow 10, 20, 40, 80, 160 s later. The network
    // heals at 660 s, while the sixth reboot is running; then the node is heard and left alone.
    const world = runWith(
      restartAlwaysController(),
      { ...API, faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-1', duration: '10m' }] },
      1_200_000,
    );

    expect(startsOf(world, 'restart-node')).toEqual([65_000, 125_000, 195_000, 285_000, 415_000, 625_000]);
  });

  it('restarts a replica that fails most requests at the first check after the scrape shows it, with back-off', () => {
    // api-1 hangs at 60.5 s; the load balancer's checks still pass, so it keeps its share and fails it. The 70 s
    // scrape shows a 95 % error rate: restarted at the 70 s check. Still hung after each restart (judged again
    // 20 s after it, once clean scrapes exist): failure seen at 100 s, restart 10 s later; at 140 s, 20 s later.
    const world = runWith(
      restartAlwaysController(),
      {
        ...API,
        faults: [{ at: '60500ms', kind: 'performance-degradation', target: 'node-1', capacityFactor: '0%' }],
      },
      200_000,
    );

    expect(actionsOf(world, 'restart-replica').map((a) => [a.startedAtMs, a.request])).toEqual([
      [70_000, { kind: 'restart-replica', replica: 'api-1' }],
      [110_000, { kind: 'restart-replica', replica: 'api-1' }],
      [160_000, { kind: 'restart-replica', replica: 'api-1' }],
    ]);
    expect(world.outcome().measures[0]).toMatchObject({ mttdMs: 9_500, diagnosis: 'replica-down' });
  });

  it('does nothing to a healthy cluster', () => {
    const world = runWith(restartAlwaysController(), API, 600_000);

    expect(world.effectors.ledger).toEqual([]);
  });
});
