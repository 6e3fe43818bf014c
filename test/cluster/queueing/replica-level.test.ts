import { describe, expect, it } from 'vitest';
import { createReplicaLevel, settleReplicaLevel } from '../../../src/cluster/queueing/replica-level.ts';
import {
  advanceReplicaQueue,
  createReplicaQueue,
  setReplicaArrival,
} from '../../../src/cluster/queueing/replica-queue.ts';
import { createResponseTime } from '../../../src/cluster/queueing/response-time.ts';

const level = () => createReplicaLevel(createResponseTime());

describe('replica level: timeouts cut goodput while the server still does the work', () => {
  it('M/M/1 at 80 %: a timeout at ln(10) / (mu - lambda) = 115.13 ms fails 10 %: goodput 72 of 80 rps served', () => {
    // 1 worker, 10 ms: mu = 100 rps; lambda = 80 rps; T ~ Exp(20/s), P(T > t) = e^(-20 t).
    const q = createReplicaQueue(1, 10);
    setReplicaArrival(q, 0, 80);
    const timeoutMs = (1000 * Math.log(10)) / 20;

    const out = settleReplicaLevel(level(), q, timeoutMs);

    expect(out.servedRps).toBe(80);
    expect(out.failureProbability).toBeCloseTo(0.1, 9);
    expect(out.timedOutRps).toBeCloseTo(8, 9);
    expect(out.goodputRps).toBeCloseTo(72, 9);
  });

  it('a backlog deeper than the timeout: the replica serves at full rate, and none of it reaches a client', () => {
    // 8 workers x 20 ms = 400 rps; 480 rps for 10 s queue 800 requests = 2 s of delay, past a 1 s timeout.
    const q = createReplicaQueue(8, 20, 10_000);
    setReplicaArrival(q, 0, 480);
    advanceReplicaQueue(q, 10_000);

    const out = settleReplicaLevel(level(), q, 1_000);

    expect(out.servedRps).toBe(400);
    expect(out.goodputRps).toBe(0);
    expect(out.timedOutRps).toBe(400);
    expect(out.failureProbability).toBe(1);
    expect(out.response.delayMs).toBeCloseTo(2_000, 9);
  });

  it('a full queue fails the rejected share at once: 1000 queued (2.5 s) at 480 rps, no timeout: p = 80 / 480', () => {
    const q = createReplicaQueue(8, 20, 1000);
    setReplicaArrival(q, 0, 480);
    advanceReplicaQueue(q, 60_000);

    const out = settleReplicaLevel(level(), q, Number.POSITIVE_INFINITY);

    expect(out.rejectedRps).toBeCloseTo(80, 9);
    expect(out.failureProbability).toBeCloseTo(80 / 480, 12);
    expect(out.goodputRps).toBe(400);
  });

  it('without a timeout nothing is late, however deep the backlog', () => {
    const q = createReplicaQueue(8, 20, 100_000);
    setReplicaArrival(q, 0, 480);
    advanceReplicaQueue(q, 60_000);

    expect(settleReplicaLevel(level(), q, Number.POSITIVE_INFINITY).goodputRps).toBe(400);
  });
});
