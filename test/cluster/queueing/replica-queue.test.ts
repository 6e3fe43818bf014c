import { describe, expect, it } from 'vitest';
import {
  advanceReplicaQueue,
  backlogAt,
  backlogDelayMs,
  busyWorkers,
  createReplicaQueue,
  DEFAULT_QUEUE_LIMIT,
  defaultConcurrency,
  drainTimeMs,
  nextBacklogCrossingMs,
  nextReplicaEventMs,
  rejectedRps,
  servedRps,
  serviceRateRps,
  setReplicaArrival,
  timeoutBacklog,
  workerServiceTimeMs,
} from '../../../src/cluster/queueing/replica-queue.ts';

// A 400 rps, 20 ms replica: 8 workers by Little's law, mu = 8 / 0.02 s = 400 rps.
const replica = (queueLimit = 100_000) => createReplicaQueue(defaultConcurrency(400, 20), 20, queueLimit);

describe('replica queue: fluid backlog between events', () => {
  it('derives concurrency from capacity x service time (Little): 400 rps x 20 ms = 8 workers', () => {
    expect(defaultConcurrency(400, 20)).toBe(8);
    expect(defaultConcurrency(410, 20)).toBe(9);
    expect(defaultConcurrency(1, 1)).toBe(1);
    expect(serviceRateRps(replica())).toBe(400);
    expect(DEFAULT_QUEUE_LIMIT).toBe(1024);
  });

  it('keeps the stated capacity when capacity x latency is not whole: 410 rps, 20 ms = 9 workers of 21.95 ms', () => {
    const workers = defaultConcurrency(410, 20);
    const q = createReplicaQueue(workers, workerServiceTimeMs(410, workers));

    expect(workers).toBe(9);
    expect(q.serviceTimeMs).toBeCloseTo(9000 / 410, 12);
    expect(serviceRateRps(q)).toBeCloseTo(410, 9);
  });

  it('at 1.2x load the backlog after 120 s is (lambda - mu) x 120 s = 80 rps x 120 s = 9600 requests', () => {
    const q = replica();

    setReplicaArrival(q, 0, 480);

    expect(backlogAt(q, 120_000)).toBeCloseTo(80 * 120, 9);
    expect(servedRps(q)).toBe(400);
    expect(busyWorkers(q)).toBe(8);
  });

  it('drains in backlog / (mu - lambda): 9600 requests at 320 rps take 9600 / 80 = 120 s', () => {
    const q = replica();
    setReplicaArrival(q, 0, 480);

    setReplicaArrival(q, 120_000, 320);

    expect(q.backlog).toBeCloseTo(9600, 9);
    expect(drainTimeMs(q)).toBeCloseTo(120_000, 6);
    expect(nextBacklogCrossingMs(q, 0)).toBeCloseTo(240_000, 6);
    expect(nextReplicaEventMs(q, Number.POSITIVE_INFINITY)).toBeCloseTo(240_000, 6);
    expect(backlogAt(q, 300_000)).toBe(0);
  });

  it('a full queue rejects the excess: limit 1000 fills in 1000 / 80 = 12.5 s, then 80 of 480 rps are rejected', () => {
    const q = replica(1000);
    setReplicaArrival(q, 0, 480);

    const fullAt = nextBacklogCrossingMs(q, q.queueLimit);
    advanceReplicaQueue(q, fullAt);

    expect(fullAt).toBeCloseTo(12_500, 9);
    expect(q.backlog).toBe(1000);
    expect(rejectedRps(q)).toBeCloseTo(80, 9);
    expect(servedRps(q)).toBe(400);
    expect(backlogAt(q, 60_000)).toBe(1000);
    expect(nextReplicaEventMs(q, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects nothing before the queue is full', () => {
    const q = replica(1000);
    setReplicaArrival(q, 0, 480);
    advanceReplicaQueue(q, 5_000);

    expect(rejectedRps(q)).toBe(0);
  });

  it('below capacity nothing queues: served = lambda, busy = lambda x service time, no crossing ahead', () => {
    const q = replica();

    setReplicaArrival(q, 0, 300);

    expect(backlogAt(q, 3_600_000)).toBe(0);
    expect(servedRps(q)).toBe(300);
    expect(busyWorkers(q)).toBeCloseTo(6, 12);
    expect(nextReplicaEventMs(q, 1_000)).toBe(Number.POSITIVE_INFINITY);
  });

  it('queue delay is backlog / mu; a 1 s client timeout is crossed at 400 queued requests, 5 s into a 1.2x overload', () => {
    const q = replica();
    setReplicaArrival(q, 0, 480);

    const crossing = nextReplicaEventMs(q, 1_000);
    advanceReplicaQueue(q, crossing);

    expect(timeoutBacklog(q, 1_000)).toBe(400);
    expect(crossing).toBeCloseTo(5_000, 9);
    expect(backlogDelayMs(q)).toBeCloseTo(1_000, 9);
  });

  it('a draining backlog crosses the timeout level on its way down before it empties', () => {
    const q = replica();
    setReplicaArrival(q, 0, 480);
    setReplicaArrival(q, 120_000, 320); // 9600 queued, draining at 80 rps

    const next = nextReplicaEventMs(q, 1_000);

    expect(next).toBeCloseTo(120_000 + ((9600 - 400) / 80) * 1000, 6);
  });

  it('keeps the past slope when the load changes: advancing is exact at every event', () => {
    const q = replica();
    setReplicaArrival(q, 0, 480);
    setReplicaArrival(q, 10_000, 440); // +800 so far, +40 rps from now on

    expect(backlogAt(q, 20_000)).toBeCloseTo(800 + 400, 9);
  });
});
