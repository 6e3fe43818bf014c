import { describe, expect, it } from 'vitest';
import type { NodeId, ServiceId } from '../../src/cluster/ids.ts';
import { LOAD } from '../support/mapek.ts';
import { buildWorld, SMALL_CLUSTER } from '../support/world.ts';

const API = 'api' as ServiceId;

describe('the sensors a traffic-aware loop reads', () => {
  it("scrape a service's clients and servers: requests, retries, goodput, backlog, quantiles", () => {
    // Arrange
    const { world } = buildWorld({
      workload: LOAD,
      cluster: { ...SMALL_CLUSTER, sensors: { metricNoise: '0%' } },
    });

    // Act
    world.runUntil(60_000);
    const scrape = world.sensors.service(API);

    // Assert: api at 900 rps over 3 x 400 rps, healthy: every request answered in time, nothing queued
    expect(scrape).toBeDefined();
    expect(scrape?.offeredRps).toBeCloseTo(900, 6);
    expect(scrape?.goodputRps).toBeCloseTo(scrape?.servedRps ?? Number.NaN, 6);
    expect(scrape?.retryRps).toBe(0);
    expect(scrape?.backlog).toBe(0);
    expect(scrape?.latencyP99Ms).toBeGreaterThan(0);
    expect(scrape?.latencyP99Ms).toBeGreaterThanOrEqual(scrape?.latencyP50Ms ?? Number.NaN);
  });

  it("give a service's declared capacity in rotation: replicas x capacityRps, blind to a sick node", () => {
    // Arrange
    const { world } = buildWorld({ workload: LOAD });
    world.runUntil(10_000);
    const before = world.sensors.declaredCapacityRps(API);

    // Act: drain node-1, which holds one api replica
    world.effectors.execute({ kind: 'drain-node', node: 'node-1' as NodeId });
    world.runUntil(20_000);

    // Assert
    expect(before).toBe(1_200);
    expect(world.sensors.declaredCapacityRps(API)).toBe(800);
    expect(world.sensors.declaredCapacityRps('nope' as ServiceId)).toBe(0);
  });

  it('give no latency objective when the scenario declares none', () => {
    // Arrange
    const { world } = buildWorld({ workload: LOAD });

    // Act, Assert
    expect(world.sensors.latencyObjective(API)).toBeUndefined();
    expect(world.sensors.latencyObjective('nope' as ServiceId)).toBeUndefined();
  });
});
