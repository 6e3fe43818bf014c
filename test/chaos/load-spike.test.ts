import { describe, expect, it } from 'vitest';
import { buildWorld, serviceOf } from '../support/world.ts';

const WORKLOAD = {
  workload: [
    { service: 'api', rps: 900 },
    { service: 'orders', rps: 200 },
  ],
};

describe('load-spike fault', () => {
  it('multiplies the named services offered load for its duration, then restores it', () => {
    const { world } = buildWorld({
      ...WORKLOAD,
      faults: [{ at: '1m', kind: 'load-spike', services: ['api'], factor: 2, duration: '30s' }],
    });

    world.runUntil(60_000 + 10_000);
    const during = [serviceOf(world, 'api').offeredRps, serviceOf(world, 'orders').offeredRps];
    world.runUntil(120_000);
    const after = serviceOf(world, 'api').offeredRps;

    expect(during).toEqual([1800, 200]);
    expect(after).toBe(900);
    // 1800 rps on 3 x 400 rps: the 600 rps above capacity fail while the spike lasts.
    expect(
      world.outcome().faults.map((r) => [r.kind, r.targets, r.components, r.injectedAtMs, r.clearedAtMs]),
    ).toEqual([['load-spike', [], ['api'], 60_000, 90_000]]);
  });

  it('hits every service when none is named, and stacks with the workload own spikes', () => {
    const { world } = buildWorld({
      workload: [
        { service: 'api', rps: 600, spikes: [{ at: '50s', for: '30s', factor: 2 }] },
        { service: 'orders', rps: 200 },
      ],
      faults: [{ at: '1m', kind: 'load-spike', factor: 1.5, duration: '1m' }],
    });

    world.runUntil(70_000);
    const both = serviceOf(world, 'api').offeredRps;
    world.runUntil(100_000);
    const faultOnly = [serviceOf(world, 'api').offeredRps, serviceOf(world, 'orders').offeredRps];

    expect(both).toBeCloseTo(600 * 2 * 1.5, 9);
    expect(faultOnly).toEqual([900, 300]);
  });

  it('two overlapping spikes multiply, and each lifts only its own factor', () => {
    const { world } = buildWorld({
      ...WORKLOAD,
      faults: [
        { at: '1m', kind: 'load-spike', services: ['orders'], factor: 2, duration: '1m' },
        { at: '90s', kind: 'load-spike', services: ['orders'], factor: 3, duration: '1m' },
      ],
    });

    world.runUntil(100_000);
    const overlap = serviceOf(world, 'orders').offeredRps;
    world.runUntil(130_000);
    const second = serviceOf(world, 'orders').offeredRps;

    expect(overlap).toBe(200 * 6);
    expect(second).toBe(200 * 3);
  });

  it('is drawn by the random generator on every service, 1.5x to 3x, with its duration', () => {
    const { world } = buildWorld({
      ...WORKLOAD,
      faults: [{ random: { meanInterval: '5m', kinds: { 'load-spike': 1 }, duration: '1m' } }],
    });

    world.runUntil(3_600_000);
    const spikes = world.outcome().faults;

    expect(spikes.length).toBeGreaterThan(3);
    for (const r of spikes) {
      expect(r.kind).toBe('load-spike');
      expect(r.components).toEqual(['api', 'orders']);
      expect(r.detail.factor).toBeGreaterThanOrEqual(1.5);
      expect(r.detail.factor).toBeLessThanOrEqual(3);
      if (r.clearedAtMs !== null) expect(r.clearedAtMs).toBe(r.injectedAtMs + 60_000);
    }
    expect(spikes.filter((r) => r.clearedAtMs === null).length).toBeLessThanOrEqual(1);
  });

  it('names an unknown service at its path in the file', () => {
    const parse = () =>
      buildWorld({
        ...WORKLOAD,
        faults: [{ at: '1m', kind: 'load-spike', services: ['api', 'payments'], factor: 2, duration: '30s' }],
      });

    expect(parse).toThrow(
      /"faults",\s*0,\s*"services",\s*1[\s\S]*unknown service \\"payments\\": services are api, orders/,
    );
  });

  it('rejects a factor that is not above 0', () => {
    const parse = () =>
      buildWorld({ ...WORKLOAD, faults: [{ at: '1m', kind: 'load-spike', factor: 0, duration: '30s' }] });

    expect(parse).toThrow(/factor/);
  });
});
