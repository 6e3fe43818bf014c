import { describe, expect, it } from 'vitest';
import { buildWorld as build, FLUID_CLUSTER } from '../support/world.ts';

// Worked without queues: the capacity lost is lost at once, with no backlog to fill and drain.
const buildWorld = (input: Record<string, unknown>) => build({ cluster: FLUID_CLUSTER, ...input });

/**
 * Ground-truth service levels on the fluid model, where every number can be worked by hand: api offered
 * 900 rps over three replicas of 400 rps each (node-1..3). Halving the capacity of all three nodes serves
 * 600 of the 900 rps, a degradation of exactly 1/3 while it lasts, with no load balancer lag to blur it
 * (the replicas stay up). `maxDegradation` is defined on consecutive 1-min windows from time 0
 * (docs/scenarios.md, `measurement.degradationWindow`); monitoring scrapes every 10 s.
 */

const RPS = 900;
const LOST_RPS = 300;

/** A world where api's capacity is halved from `fromS` for `forS` seconds (no controller). */
const halvedFrom = (fromS: number, forS: number, extra: Record<string, unknown> = {}) =>
  buildWorld({
    workload: [{ service: 'api', rps: RPS }],
    faults: [
      {
        at: `${fromS}s`,
        kind: 'performance-degradation',
        target: ['node-1', 'node-2', 'node-3'],
        capacityFactor: '50%',
        duration: `${forS}s`,
      },
    ],
    ...extra,
  }).world;

/** Halves one node's capacity until cleared. */
const halve = (node: string) =>
  ({
    kind: 'performance-degradation',
    target: { kind: 'nodes', nodes: [node] },
    latencyFactor: 1,
    capacityFactor: 0.5,
  }) as const;

/** Availability after `endS` seconds when `lostS` seconds of the dip fell before the end. */
const availabilityAfter = (endS: number, lostS: number) => 1 - (LOST_RPS * lostS) / (RPS * endS);

describe('degradation windows', () => {
  it('a dip that fills one window exactly is charged to that window alone, in full', () => {
    const world = halvedFrom(60, 60);

    world.runUntil(300_000);

    expect(world.level.maxDegradation()).toEqual({
      service: 'api',
      windowStartMs: 60_000,
      degradation: expect.closeTo(1 / 3, 9),
    });
  });

  it('a dip in the first window, from time 0, is charged to it', () => {
    const world = halvedFrom(10, 20);

    world.runUntil(300_000);

    expect(world.level.maxDegradation()).toEqual({
      service: 'api',
      windowStartMs: 0,
      degradation: expect.closeTo(1 / 9, 9),
    });
  });

  it('a dip split across two windows is charged to each for its share: the worst half is the peak', () => {
    // 100 s to 150 s: 20 s of window [60 s, 120 s) (1/9) and 30 s of window [120 s, 180 s) (1/6).
    const world = halvedFrom(100, 50);

    world.runUntil(300_000);

    expect(world.level.maxDegradation()).toEqual({
      service: 'api',
      windowStartMs: 120_000,
      degradation: expect.closeTo(1 / 6, 9),
    });
  });

  it('keeps the worst closed window once later windows are healthy again', () => {
    const world = halvedFrom(130, 20);

    world.runUntil(180_000);
    const atClose = world.level.maxDegradation();
    world.runUntil(600_000);

    // 20 s of a 60 s window at 1/3: 1/9.
    expect(atClose.degradation).toBeCloseTo(1 / 9, 9);
    expect(world.level.maxDegradation()).toEqual(atClose);
  });

  it('a window ending exactly at the run end is closed: the empty window after it adds nothing', () => {
    const world = halvedFrom(150, 30);

    world.runUntil(180_000);

    expect(world.level.maxDegradation()).toEqual({
      service: 'api',
      windowStartMs: 120_000,
      degradation: expect.closeTo(1 / 6, 9),
    });
  });

  it('reads the open last window, between scrapes, as far as it goes', () => {
    // The run ends 25 s into window [120 s, 180 s), in a dip since 125 s: 20 of those 25 s at 1/3.
    const world = halvedFrom(125, 300);

    world.runUntil(145_000);

    expect(world.level.maxDegradation()).toEqual({
      service: 'api',
      windowStartMs: 120_000,
      degradation: expect.closeTo((1 / 3) * (20 / 25), 9),
    });
  });

  it('an open last window milder than a closed one leaves the closed one as the peak', () => {
    const world = halvedFrom(60, 60);

    world.runUntil(150_000);

    expect(world.level.maxDegradation().windowStartMs).toBe(60_000);
  });

  it('names the worst service, not the last one degraded', () => {
    const { world } = buildWorld({
      workload: [
        { service: 'api', rps: RPS },
        { service: 'orders', rps: 540 },
      ],
      faults: [
        {
          at: '60s',
          kind: 'performance-degradation',
          target: ['node-1', 'node-4'],
          capacityFactor: '50%',
          duration: '60s',
        },
      ],
    });

    world.runUntil(300_000);

    // api loses 100 of 900 rps (1/9); orders 30 of 540 (180 offered to a replica now serving 150: 1/18).
    expect(world.level.maxDegradation()).toEqual({
      service: 'api',
      windowStartMs: 60_000,
      degradation: expect.closeTo(1 / 9, 9),
    });
  });

  it('names the worst service and ignores a service offered nothing', () => {
    const { world } = buildWorld({
      workload: [
        { service: 'api', rps: RPS },
        { service: 'orders', rps: 0 },
      ],
      faults: [
        { at: '60s', kind: 'node-crash', target: 'node-4' },
        {
          at: '60s',
          kind: 'performance-degradation',
          target: 'node-1',
          capacityFactor: '50%',
          duration: '60s',
        },
      ],
    });

    world.runUntil(300_000);

    // node-1 serves 200 of its 300 rps for the minute: 100 / 900 of api's load.
    expect(world.level.maxDegradation()).toEqual({
      service: 'api',
      windowStartMs: 60_000,
      degradation: expect.closeTo(1 / 9, 9),
    });
  });

  it('a healthy run has no degraded window', () => {
    const world = halvedFrom(3_000, 60);

    world.runUntil(600_000);

    expect(world.level.maxDegradation()).toEqual({ service: '', windowStartMs: 0, degradation: 0 });
  });
});

describe('availability', () => {
  it('folds the open interval: a run that ends between scrapes counts its last seconds', () => {
    // The dip starts at 90 s, the run ends at 95 s, the last scrape was at 90 s.
    const world = halvedFrom(90, 300);

    world.runUntil(95_000);

    expect(world.outcome().availability).toBeCloseTo(availabilityAfter(95, 5), 12);
  });

  it('is served over offered across the whole run, after the dip', () => {
    const world = halvedFrom(90, 60);

    world.runUntil(274_000);

    expect(world.level.availability()).toBeCloseTo(availabilityAfter(274, 60), 12);
  });

  it('pools every service, weighted by its offered load', () => {
    const { world } = buildWorld({
      workload: [
        { service: 'api', rps: RPS },
        { service: 'orders', rps: 300 },
      ],
      faults: [
        {
          at: '60s',
          kind: 'performance-degradation',
          target: ['node-1', 'node-2', 'node-3'],
          capacityFactor: '50%',
          duration: '60s',
        },
      ],
    });

    world.runUntil(245_000);

    expect(world.level.availability()).toBeCloseTo(1 - (LOST_RPS * 60) / ((RPS + 300) * 245), 12);
  });

  it('is 1 when nothing was offered', () => {
    const { world } = buildWorld({ workload: [{ service: 'api', rps: 0 }] });

    world.runUntil(60_000);

    expect(world.level.availability()).toBe(1);
  });
});

describe('the level timeline', () => {
  it('starts ok, then records when the level left and came back', () => {
    const world = halvedFrom(90, 60);

    world.runUntil(300_000);

    expect(world.level.changes).toEqual([
      { atMs: 90_000, ok: false },
      { atMs: 150_000, ok: true },
    ]);
    expect(world.level.levelOk).toBe(true);
  });

  it('is not ok while a fault hurts', () => {
    const world = halvedFrom(90, 60);

    world.runUntil(120_000);

    expect(world.level.levelOk).toBe(false);
  });

  it('a fault at time 0 puts the level out from time 0', () => {
    const world = halvedFrom(0, 30);

    world.runUntil(60_000);

    expect(world.level.changes).toEqual([
      { atMs: 0, ok: false },
      { atMs: 30_000, ok: true },
    ]);
  });

  it('an overload from the start is the healthy level (the healthy cluster would serve no more)', () => {
    const { world } = buildWorld({ workload: [{ service: 'api', rps: 1_500 }] });

    world.runUntil(60_000);

    expect(world.level.changes).toEqual([]);
    expect(world.level.levelOk).toBe(true);
  });

  it('one service recovering as another breaks, in the same instant, is no recovery', () => {
    const { world } = buildWorld({
      workload: [
        { service: 'api', rps: RPS },
        { service: 'orders', rps: 600 },
      ],
    });
    world.runUntil(60_000);
    const api = world.chaos.inject(halve('node-1'), 'timeline');
    world.runUntil(120_000);
    if (api === undefined) throw new Error('not injected');

    // api comes back, then orders breaks, at 120 s: only the level that lasts is recorded.
    world.chaos.expire(api.id);
    world.chaos.inject(halve('node-4'), 'timeline');
    world.runUntil(300_000);

    expect(world.level.changes).toEqual([{ atMs: 60_000, ok: false }]);
  });

  it('two services breaking in one instant is one change; both back is one change', () => {
    const { world } = buildWorld({
      workload: [
        { service: 'api', rps: RPS },
        { service: 'orders', rps: 600 },
      ],
      faults: [
        {
          at: '60s',
          kind: 'performance-degradation',
          target: ['node-1', 'node-4'],
          capacityFactor: '50%',
          duration: '60s',
        },
      ],
    });

    world.runUntil(300_000);

    expect(world.level.changes).toEqual([
      { atMs: 60_000, ok: false },
      { atMs: 120_000, ok: true },
    ]);
  });
});
