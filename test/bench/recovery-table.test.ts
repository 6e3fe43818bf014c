import { describe, expect, it } from 'vitest';
import { recoveryRows } from '../../src/bench/recovery-table.ts';
import type { FaultDigest, RunDigest } from '../../src/bench/run-digest.ts';
import { checkTargets } from '../../src/bench/targets.ts';

const fault = (mttrMs: number | null, more: Partial<FaultDigest> = {}): FaultDigest => ({
  kind: 'node-crash',
  impact: mttrMs !== 0,
  mttdMs: mttrMs === null ? null : 1_000,
  mttrMs,
  detectionExempt: false,
  recoveryCensored: false,
  ...more,
});

const run = (
  scenario: string,
  policy: string,
  seed: number,
  faults: FaultDigest[],
  more: Partial<RunDigest> = {},
): RunDigest => ({
  scenario,
  policy,
  seed,
  faults,
  availability: 0.999,
  lostWrites: 0,
  actions: 3,
  actionCost: 12,
  recoveryJudged: faults.filter((f) => f.impact).length,
  recoveredInTime: faults.filter((f) => f.impact && f.mttrMs !== null).length,
  verdict: 'pass',
  events: 100,
  ...more,
});

describe('recovery rows', () => {
  it('pool every seed, count a never-recovered fault as slower than all, and divide by the oracle p95', () => {
    const digests = [
      ...[1, 2, 3, 4].map((seed) => run('crash', 'oracle', seed, [fault(10_000)])),
      ...[1, 2, 3].map((seed) => run('crash', 'mapek', seed, [fault(14_000)])),
      run('crash', 'mapek', 4, [fault(20_000)], { availability: 0.99 }),
      ...[1, 2, 3].map((seed) => run('crash', 'noop', seed, [fault(60_000)])),
      run('crash', 'noop', 4, [fault(null)]),
    ];

    const rows = recoveryRows(digests, ['crash'], ['mapek', 'noop', 'oracle']);

    const mapek = rows.find((r) => r.policy === 'mapek');
    const noop = rows.find((r) => r.policy === 'noop');
    expect(mapek).toMatchObject({
      seeds: 4,
      impactful: 4,
      mttrP95VsOracle: 1.91,
      availabilityMin: 0.99,
      actionsPerFault: 3,
      costPerFault: 12,
    });
    expect(mapek?.mttr).toMatchObject({ count: 4, p50Ms: 14_000, maxMs: 20_000 });
    expect(noop?.mttr).toMatchObject({ never: 1, p95Ms: 'never', maxMs: 'never' });
    expect(noop?.mttrP95VsOracle).toBe('never');
    expect(noop?.recoverySuccessRate).toBe(0.75);
  });

  it('give n/a against an oracle that prevented all impact, not infinity', () => {
    const digests = [run('leak', 'oracle', 1, [fault(0)]), run('leak', 'mapek', 1, [fault(30_000)])];

    const [mapek] = recoveryRows(digests, ['leak'], ['mapek', 'oracle']);

    expect(mapek?.mttrP95VsOracle).toBe('n/a');
  });

  it('leave out faults still open at the end of the run, and blips healed before anyone could see them', () => {
    const digests = [
      run('x', 'mapek', 1, [
        fault(null, { recoveryCensored: true, mttdMs: null, detectionExempt: true }),
        fault(5_000, { mttdMs: null, detectionExempt: true }),
        fault(8_000),
      ]),
    ];

    const [row] = recoveryRows(digests, ['x'], ['mapek']);

    expect(row?.mttr).toMatchObject({ count: 2, excluded: 1, never: 0 });
    expect(row?.mttd).toMatchObject({ count: 1, excluded: 2 });
  });
});

describe('targets', () => {
  it('judge the oracle ratio per single-fault scenario; where the oracle prevents all impact the loop must too', () => {
    const digests = [
      run('a', 'oracle', 1, [fault(10_000)]),
      run('a', 'mapek', 1, [fault(14_000)]),
      run('b', 'oracle', 1, [fault(10_000)]),
      run('b', 'mapek', 1, [fault(16_000)]),
      run('c', 'oracle', 1, [fault(0)]),
      run('c', 'mapek', 1, [fault(0)]),
      run('d', 'oracle', 1, [fault(0)]),
      run('d', 'mapek', 1, [fault(9_000)]),
    ];
    const recovery = recoveryRows(digests, ['a', 'b', 'c', 'd'], ['mapek', 'oracle']);

    const results = checkTargets({ recovery, singleFault: ['a', 'b', 'c', 'd'], throughput: null }).filter(
      (t) => t.id === 'mttr-vs-oracle',
    );

    expect(results.map((t) => t.status)).toEqual(['PASS', 'MISS', 'PASS', 'MISS']);
  });
});
