import { describe, expect, it } from 'vitest';
import { backlogAt, createReplicaQueue } from '../../../src/cluster/queueing/replica-queue.ts';
import { createReplicaTraffic, settleReplicaTraffic } from '../../../src/cluster/queueing/replica-traffic.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../../src/cluster/queueing/retry-policy.ts';

interface Sample {
  goodputRps: number;
  offeredRps: number;
  backlog: number;
}

/**
 * A tiny event loop, as the kernel would run it: one 400 rps replica (8 workers x 20 ms, 1024 queued at most),
 * clients originating 300 rps (75 % load), with an optional 1.5x spike from 60 s to 120 s. Events are the load
 * changes and the crossings the replica asks for (rounded up to whole ms, as sim time is); samples read the
 * level without settling, so they change nothing.
 */
const run = (policy: RetryPolicy, spike: boolean, sampleAtMs: readonly number[]) => {
  const r = createReplicaTraffic(createReplicaQueue(8, 20, 1024), policy);
  const changes: [number, number][] = spike
    ? [
        [0, 300],
        [60_000, 450],
        [120_000, 300],
      ]
    : [[0, 300]];
  const samples: Sample[] = [];
  let events = 0;
  let original = 0;
  let crossing = Number.POSITIVE_INFINITY;
  let c = 0;
  let s = 0;
  while (s < sampleAtMs.length) {
    const change = changes[c]?.[0] ?? Number.POSITIVE_INFINITY;
    const sample = sampleAtMs[s] ?? Number.POSITIVE_INFINITY;
    const t = Math.min(change, crossing, sample);
    if (t === sample && t < change && t < crossing) {
      samples.push({
        goodputRps: r.level.goodputRps,
        offeredRps: r.queue.arrivalRps,
        backlog: backlogAt(r.queue, t),
      });
      s++;
      continue;
    }
    if (t === change) original = changes[c++]?.[1] ?? original;
    crossing = Math.ceil(settleReplicaTraffic(r, t, original));
    events++;
  }
  return { samples, events };
};

const threeAttempts: RetryPolicy = { ...DEFAULT_RETRY_POLICY, timeoutMs: 1_000, maxAttempts: 3 };
const at = [50_000, 119_000, 300_000, 3_600_000];

describe('metastable retry storm: the trigger ends, the overload stays', () => {
  it('without a spike, 300 rps on a 400 rps replica stay healthy with 3 attempts', () => {
    const { samples } = run(threeAttempts, false, at);

    for (const s of samples) {
      expect(s.goodputRps).toBeGreaterThan(299);
      expect(s.backlog).toBe(0);
    }
  });

  it('after a 60 s 1.5x spike, the same 300 rps stay in a retry storm for the rest of the hour: goodput 0, 900 rps offered', () => {
    const { samples, events } = run(threeAttempts, true, at);
    const [before, during, after, hourLater] = samples;

    expect(before?.goodputRps).toBeGreaterThan(299);
    expect(during?.goodputRps).toBe(0);
    expect(after?.goodputRps).toBe(0);
    expect(after?.offeredRps).toBeCloseTo(900, 6);
    expect(hourLater?.goodputRps).toBe(0);
    expect(hourLater?.backlog).toBe(1024);
    // Event-driven: a handful of crossings, not one event per second of the hour.
    expect(events).toBeLessThan(20);
  });

  it('with one attempt the same spike only leaves a backlog that drains: healthy again within a minute', () => {
    const { samples } = run({ ...threeAttempts, maxAttempts: 1 }, true, at);
    const [, during, after] = samples;

    expect(during?.goodputRps).toBe(0);
    expect(after?.goodputRps).toBeGreaterThan(299);
    expect(after?.backlog).toBe(0);
  });

  it('goodput climbs back through the late-share bands before the backlog is gone', () => {
    // One attempt: from 120 s the 1024 queued drain at 100 rps, past the timeout level (400) at 126.24 s and
    // empty at 130.24 s. Half-way down from the timeout level most answers are on time again.
    const { samples } = run({ ...threeAttempts, maxAttempts: 1 }, true, [126_000, 128_000]);
    const [stillLate, draining] = samples;

    expect(stillLate?.goodputRps).toBe(0);
    expect(draining?.backlog).toBeGreaterThan(0);
    expect(draining?.goodputRps).toBeGreaterThan(390);
  });

  it('a retry budget (20 % + 10/s) bounds the amplification below capacity, so the storm cannot sustain itself', () => {
    const budgeted: RetryPolicy = { ...threeAttempts, retryBudget: { ratio: 0.2, minRetriesPerSecond: 10 } };

    const { samples } = run(budgeted, true, at);
    const [, , after] = samples;

    expect(after?.goodputRps).toBeGreaterThan(299);
    expect(after?.backlog).toBe(0);
  });
});
