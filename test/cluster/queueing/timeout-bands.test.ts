import { describe, expect, it } from 'vitest';
import { replicaFailureProbability } from '../../../src/cluster/queueing/replica-level.ts';
import { createReplicaQueue, setReplicaArrival } from '../../../src/cluster/queueing/replica-queue.ts';
import { createResponseTime } from '../../../src/cluster/queueing/response-time.ts';
import {
  createTimeoutLevels,
  LATE_SHARE_BANDS,
  nextLevelCrossingMs,
  setTimeoutLevels,
} from '../../../src/cluster/queueing/timeout-bands.ts';

// M/M/1, 10 ms service (mu = 100 rps) at 50 rps: T ~ Exp(50/s), Q(p) = -ln(1 - p) / 50 s. Clients time out
// at 200 ms, so the late share reaches L when the backlog delay is d = 200 ms - Q(1 - L).
const levelFor = (late: number) => 100 * (0.2 + Math.log(late) / 50);

describe('late-share bands: the backlog levels whose crossings are events', () => {
  it('puts each band where the delay leaves Q(1 - L) before the timeout, and the last at mu x timeout', () => {
    const q = createReplicaQueue(1, 10, 1_000);
    setReplicaArrival(q, 0, 50);

    const levels = setTimeoutLevels(createTimeoutLevels(), q, 200, createResponseTime());

    expect(levels[0]).toBeCloseTo(levelFor(0.01), 9); // 200 ms - 92.10 ms = 107.9 ms: 10.79 requests
    expect(levels[2]).toBeCloseTo(levelFor(0.5), 9); // 200 ms - 13.86 ms: 18.61 requests
    expect(levels[LATE_SHARE_BANDS.length]).toBeCloseTo(20, 12);
  });

  it('at each level, the late share is its band (the levels and the failure model agree)', () => {
    const q = createReplicaQueue(8, 20, 10_000);
    setReplicaArrival(q, 0, 300);
    const levels = setTimeoutLevels(createTimeoutLevels(), q, 1_000, createResponseTime());

    const shares = LATE_SHARE_BANDS.map((_, k) => {
      q.backlog = levels[k] ?? 0;
      return replicaFailureProbability(q, 300, 1_000, createResponseTime());
    });

    LATE_SHARE_BANDS.forEach((band, k) => {
      expect(shares[k]).toBeCloseTo(band, 9);
    });
  });

  it('leaves out levels the queue cannot reach', () => {
    const q = createReplicaQueue(8, 20, 100); // 100 queued = 250 ms of delay at most
    setReplicaArrival(q, 0, 300);

    const levels = setTimeoutLevels(createTimeoutLevels(), q, 1_000, createResponseTime());

    expect([...levels].every((l) => l === Number.POSITIVE_INFINITY)).toBe(true);
    expect(nextLevelCrossingMs(q, levels)).toBe(Number.POSITIVE_INFINITY);
  });

  it('finds the next level ahead on the slope: growing at 80 rps from 0, the lowest reachable band first', () => {
    const q = createReplicaQueue(8, 20, 10_000);
    setReplicaArrival(q, 0, 480);
    const levels = setTimeoutLevels(createTimeoutLevels(), q, 1_000, createResponseTime());

    const next = nextLevelCrossingMs(q, levels);

    // At 99 % utilisation the 1 % band lies below an empty queue (the steady wait alone makes 1 % late),
    // so the first band ahead is a higher one.
    const lowest = Math.min(...levels);
    expect(levels[0]).toBe(Number.POSITIVE_INFINITY);
    expect(next).toBeCloseTo((1000 * lowest) / 80, 6);
  });
});
