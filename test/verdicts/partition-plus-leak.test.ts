import { describe, expect, it } from 'vitest';
import { HEADROOM, run, SIX_NODES, sloOf } from './support.ts';

/**
 * Issue 11: a partition and a memory leak landing in the same millisecond on different nodes. On main, noop
 * passed the detection SLO (the leak shared the partition's blip, "healed" within the target, and its
 * out-of-memory crash later was nobody's) while the loop failed it (the leak was timed from that blip).
 */
const SCENARIO = {
  duration: '25m',
  cluster: SIX_NODES,
  workload: HEADROOM,
  controller: { cycleInterval: '2s' },
  faults: [
    { at: '1m', kind: 'resource-exhaustion', target: 'random', resource: 'memory', leak: '4%' },
    { at: '1m', kind: 'network-partition', isolate: 'random', duration: '2m' },
  ],
  slo: { detection: '30s', recovery: '60s' },
};

describe('partition plus leak, landing together (issue 11)', () => {
  it('noop fails the detection SLO: the leak it never saw left its node down', () => {
    const r = run(SCENARIO, 'noop');

    const leak = r.outcome.measures.find((m) => m.id === 'f1');

    expect(leak?.damage).toContain('node-down');
    expect(sloOf(r, 'detection')).toMatchObject({ pass: false, actual: null });
    expect(sloOf(r, 'detection')?.missed).toEqual(expect.arrayContaining(['f1', 'f2']));
    expect(r.verdict).toBe('fail');
  });

  it('the loop, which named both faults, passes it: the shared blip is the incident of both', () => {
    const r = run(SCENARIO, 'mapek');

    expect(r.outcome.measures.every((m) => m.detectedAtMs !== null)).toBe(true);
    expect(sloOf(r, 'detection')?.pass).toBe(true);
  });

  it('the two faults form one incident in the distributions', () => {
    const r = run(SCENARIO, 'mapek');

    expect(r.outcome.incidents?.map((i) => i.faults)).toEqual([['f1', 'f2']]);
  });
});
