import { describe, expect, it } from 'vitest';
import { checkTargets, type TargetInputs } from '../../src/bench/targets.ts';
import { throughputReport } from '../../src/bench/throughput-summary.ts';
import { measureWorldBuild } from '../../src/bench/world-build.ts';

const inputs = (buildMs: number | null): TargetInputs => ({
  recovery: [],
  singleFault: [],
  throughput: throughputReport(
    [],
    undefined,
    buildMs === null ? undefined : { nodes: 10_000, replicas: 40_000, buildMs },
  ),
});
const worldBuild = (i: TargetInputs) => checkTargets(i).find((t) => t.id === 'world-build');

describe('the world-build benchmark case', () => {
  it('builds the throughput world of the size asked, every replica placed', () => {
    const b = measureWorldBuild(50);

    expect(b.nodes).toBe(50);
    expect(b.replicas).toBeGreaterThanOrEqual(150);
    expect(b.buildMs).toBeGreaterThanOrEqual(0);
  });

  it('is judged against the 1 s goal, and reported as not run when the bench did not time it', () => {
    expect(worldBuild(inputs(582))?.status).toBe('PASS');
    expect(worldBuild(inputs(582))?.detail).toContain('10,000 nodes, 40,000 replicas: built in 582 ms');
    expect(worldBuild(inputs(1_000))?.status).toBe('MISS');
    expect(worldBuild(inputs(null))?.status).toBe('NOT RUN');
  });
});
