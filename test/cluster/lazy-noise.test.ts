import { describe, expect, it } from 'vitest';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import type { Mutable } from '../../src/cluster/runtime/ownership.ts';
import type { ServiceScrape } from '../../src/cluster/runtime/scrapes.ts';
import { buildWorld, SMALL_CLUSTER } from '../support/world.ts';

const API = { workload: [{ service: 'api', rps: 900 }] };
const noise = (metricNoise: string) =>
  buildWorld({ ...API, cluster: { ...SMALL_CLUSTER, sensors: { metricNoise } } });
const replicaIds = (w: ReturnType<typeof noise>['world']) =>
  w.sensors.placements().map((p) => p.replica as ReplicaId);

describe('monitoring: noise applied when a reading is read', () => {
  it('gives the same reading however often and in whatever order the readings are read', () => {
    const a = noise('5%').world;
    const b = noise('5%').world;
    a.runUntil(60_000);
    b.runUntil(60_000);

    const forward = replicaIds(a).map((id) => a.sensors.replica(id));
    const backward = replicaIds(b)
      .reverse()
      .map((id) => b.sensors.replica(id))
      .reverse();
    const again = replicaIds(a).map((id) => a.sensors.replica(id));

    expect(forward).toEqual(backward);
    expect(again).toEqual(forward);
    expect(a.sensors.service('api' as ServiceId)).toEqual(b.sensors.service('api' as ServiceId));
  });

  it('reads never move the world: a run read at every scrape ends with the trace of one never read', () => {
    const read = noise('5%').world;
    const unread = noise('5%').world;
    for (let t = 10_000; t <= 120_000; t += 10_000) {
      read.runUntil(t);
      for (const id of replicaIds(read)) read.sensors.replica(id);
      read.sensors.service('api' as ServiceId);
      read.sensors.node('node-1' as NodeId);
    }
    unread.runUntil(120_000);

    expect(read.trace.hash).toBe(unread.trace.hash);
  });

  it('is noisy: readings scatter around the noiseless ones by about the configured spread', () => {
    const clean = noise('0%').world;
    const noisy = noise('5%').world;
    const ratios: number[] = [];
    for (let t = 20_000; t <= 600_000; t += 10_000) {
      clean.runUntil(t);
      noisy.runUntil(t);
      for (const id of replicaIds(clean)) {
        const c = clean.sensors.replica(id);
        const n = noisy.sensors.replica(id);
        if (c !== undefined && n !== undefined && c.rps > 0) ratios.push(n.rps / c.rps - 1);
      }
    }
    const mean = ratios.reduce((s, x) => s + x, 0) / ratios.length;
    const sd = Math.sqrt(ratios.reduce((s, x) => s + (x - mean) ** 2, 0) / ratios.length);

    expect(ratios.length).toBeGreaterThan(100);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sd).toBeGreaterThan(0.04);
    expect(sd).toBeLessThan(0.06);
  });

  it('draws afresh at each scrape: a steady replica reads differently from one scrape to the next', () => {
    const { world } = noise('5%');
    const id = replicaIds(world)[0] as ReplicaId;
    world.runUntil(60_000);
    const first = world.sensors.replica(id);
    world.runUntil(70_000);
    const second = world.sensors.replica(id);

    expect(second?.atMs).toBe(70_000);
    expect(second?.rps).not.toBe(first?.rps);
  });

  it('fills a service reading in place with what service() hands out, and never touches a handed-out one', () => {
    const { world } = noise('5%');
    const into = {} as Mutable<ServiceScrape>;
    expect(world.sensors.readServiceAt(0, into)).toBe(false);
    expect(world.sensors.readServiceAt(99, into)).toBe(false);
    const kept: { scrape: ServiceScrape; copy: ServiceScrape }[] = [];
    for (let t = 20_000; t <= 120_000; t += 10_000) {
      world.runUntil(t);
      // Read in place first: the object handed out after must be the same readings all the same.
      expect(world.sensors.readServiceAt(0, into)).toBe(true);
      const scrape = world.sensors.service('api' as ServiceId);
      if (scrape === undefined) throw new Error('no scrape');
      expect({ ...into }).toEqual(scrape);
      expect(Object.keys(scrape)).toEqual(KEYS);
      expect(world.sensors.service('api' as ServiceId)).toBe(scrape);
      kept.push({ scrape, copy: structuredClone(scrape) });
    }
    for (const { scrape, copy } of kept) expect(scrape).toEqual(copy);
    expect(new Set(kept.map((k) => k.scrape.offeredRps)).size).toBe(kept.length);
  });
});

/** The key order of a service scrape as the load balancer has always reported it. */
const KEYS = [
  'atMs',
  'offeredRps',
  'servedRps',
  'errorRate',
  'latencyMs',
  'goodputRps',
  'retryRps',
  'timeoutRps',
  'rejectedRps',
  'backlog',
  'latencyP50Ms',
  'latencyP95Ms',
  'latencyP99Ms',
  'degradedRps',
  'dependencies',
];
