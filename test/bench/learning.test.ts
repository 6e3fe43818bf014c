import { describe, expect, it } from 'vitest';
import { runBenchJob } from '../../src/bench/bench-job.ts';

const PACKED = 'bench/scenarios/packed-rolling-crashes.yaml';

const firstCrashMttr = async (arm: 'carried' | 'frozen') => {
  const result = await runBenchJob({ kind: 'learning', file: PACKED, arm, seeds: [1, 2] });
  return result.kind === 'learning' ? result.runs.map((r) => r.faults[0]?.mttrMs) : [];
};

describe('learning curve jobs', () => {
  it('carry the knowledge file over: the second run reboots its first crash at once, frozen knowledge does not', async () => {
    const carried = await firstCrashMttr('carried');
    const frozen = await firstCrashMttr('frozen');

    // Run 1 starts from nothing either way: the failed failover costs both arms the same.
    expect(carried[0]).toBe(frozen[0]);
    expect(carried[1]).toBeLessThan(frozen[1] ?? 0);
  });
});
