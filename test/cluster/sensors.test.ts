import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/cluster/ids.ts';
import { buildWorld, nodeOf, SMALL_CLUSTER } from '../support/world.ts';

const node = (id: string) => id as NodeId;
const API = { workload: [{ service: 'api', rps: 900 }] };

describe('sensors: what a controller can see', () => {
  it('heartbeats arrive every interval from a healthy node, a delay after they are sent (noise off)', () => {
    const { world } = buildWorld({
      ...API,
      cluster: { ...SMALL_CLUSTER, sensors: { heartbeatJitter: '0s', gcPauseEvery: '0s' } },
    });

    world.runUntil(30_000);
    const arrivals = world.sensors.heartbeatArrivals(node('node-2'), 20_000);

    expect(arrivals).toHaveLength(10);
    expect(arrivals.slice(1).map((t, i) => t - (arrivals[i] ?? 0))).toEqual(Array(9).fill(1_000));
    expect(30_000 - world.sensors.lastHeartbeatMs(node('node-2'))).toBeLessThan(1_000);
  });

  it('the send time of the last heartbeat survives a change of delay after it (a CPU hog ending)', () => {
    const { world } = buildWorld({
      ...API,
      faults: [
        {
          at: '10s',
          kind: 'resource-exhaustion',
          target: 'node-2',
          resource: 'cpu',
          level: '100%',
          duration: '10s',
        },
      ],
    });

    // Just after the hog ends: its last heartbeat travelled slowly, the next has not arrived yet.
    world.runUntil(20_010);
    const sent = world.sensors.lastHeartbeatSentMs(node('node-2'));
    const phase = world.cluster.heartbeats.phaseMs(nodeOf(world, 'node-2').index);

    expect(sent).toBeLessThanOrEqual(20_000);
    expect((sent - phase) % 1_000).toBe(0);
  });

  it('heartbeats stop at a crash and resume once the node has booted again', () => {
    const { world } = buildWorld({
      ...API,
      faults: [{ at: '60s', kind: 'node-crash', target: 'node-1', duration: '10s' }],
    });

    world.runUntil(100_000);
    const silentSince = world.sensors.lastHeartbeatMs(node('node-1'));
    world.runUntil(200_000);

    expect(silentSince).toBeLessThanOrEqual(60_000);
    expect(silentSince).toBeGreaterThan(59_000);
    // Down at 60 s, reboot starts at 70 s and takes the default 45 s.
    expect(world.sensors.lastHeartbeatMs(node('node-1'))).toBeGreaterThan(199_000);
  });

  it('a partition stops heartbeats too, but the cloud API still reports the machine running', () => {
    const { world } = buildWorld({
      ...API,
      faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-1', duration: '2m' }],
    });

    world.runUntil(90_000);

    expect(world.sensors.lastHeartbeatMs(node('node-1'))).toBeLessThanOrEqual(60_000);
    expect(world.sensors.hostStatus(node('node-1'))).toBe('running');
    expect(world.sensors.ping(node('node-1'))).toBe(false);
  });

  it('the cloud API reports a crash after its lag', () => {
    const { world } = buildWorld({ ...API, faults: [{ at: '60s', kind: 'node-crash', target: 'node-1' }] });

    world.runUntil(61_000);
    const early = world.sensors.hostStatus(node('node-1'));
    world.runUntil(63_000);

    expect(early).toBe('running');
    expect(world.sensors.hostStatus(node('node-1'))).toBe('stopped');
  });

  it('indirect probes through peers see a node the control plane cannot', () => {
    const { world } = buildWorld({
      ...API,
      faults: [
        { at: '60s', kind: 'network-partition', isolate: 'node-1', from: ['control'], duration: '2m' },
      ],
    });

    world.runUntil(70_000);

    expect(world.sensors.ping(node('node-1'))).toBe(false);
    expect(world.sensors.probe(node('node-2'), node('node-1'))).toBe('ok');
    expect(world.sensors.probe(node('node-1'), node('node-2'))).toBe('via-unreachable');
  });

  it('scraped metrics are rates over the scrape interval with seeded noise, and missing for an unreachable node', () => {
    const { world } = buildWorld({
      ...API,
      faults: [{ at: '60s', kind: 'network-partition', isolate: 'node-1', duration: '2m' }],
    });

    world.runUntil(50_000);
    const replica = world.sensors.replica('api-2' as never);
    world.runUntil(80_000);
    const cutOff = world.sensors.node(node('node-1'));

    expect(replica?.rps).toBeGreaterThan(300 * 0.9);
    expect(replica?.rps).toBeLessThan(300 * 1.1);
    expect(replica?.rps).not.toBe(300);
    expect(cutOff?.reachable).toBe(false);
    // The partition lands at 60 s before that instant's scrape: the last good scrape is the one at 50 s.
    expect(cutOff?.scrapedAtMs).toBe(50_000);
  });

  it('the load balancer reports the error rate of a service', () => {
    const { world } = buildWorld({
      ...API,
      faults: [{ at: '60s', kind: 'resource-exhaustion', target: 'node-1', resource: 'disk', level: '100%' }],
    });

    world.runUntil(90_000);

    const errorRate = world.sensors.service('api' as never)?.errorRate ?? 0;
    expect(errorRate).toBeGreaterThan(0.3);
    expect(errorRate).toBeLessThan(0.37);
  });

  it('a rising memory trend is visible in the scrapes before the node runs out', () => {
    const { world } = buildWorld({
      ...API,
      faults: [{ at: '60s', kind: 'resource-exhaustion', target: 'node-1', resource: 'memory', leak: '10%' }],
    });

    world.runUntil(100_000);
    const early = world.sensors.node(node('node-1'))?.memory ?? 0;
    world.runUntil(200_000);
    const later = world.sensors.node(node('node-1'))?.memory ?? 0;

    expect(later - early).toBeGreaterThan(0.12);
  });
});
