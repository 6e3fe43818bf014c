import { describe, expect, it } from 'vitest';
import { overloadScaleCount } from '../../src/mapek/overload-scaling.ts';

describe('the scale-out for an overload carries the load and drains the backlog', () => {
  it('overload-queueing at detection: 1,800 attempts on 4 x 400 rps with 1,040 queued ask for 2 more replicas', () => {
    // Arrange: 4 replicas serve 1,600/s; 200/s in excess for the 12 s until new ones serve adds 2,400 to the
    // 1,040 queued: 3,440 to drain in 10 s, 344/s on top of the 1,800, so 2,144 / 400 = 5.36 -> 6 replicas (the
    // 85 % target alone asks for 1,800 / 0.85 / 400 = 5.3 -> 6 too): 2 more. A quarter more would be 1.
    const load = {
      originalRps: 1_800,
      attemptsRps: 1_800,
      throughputRps: 1_600,
      goodputRps: 1_600,
      backlog: 1_040,
    };

    // Act
    const count = overloadScaleCount(4, load);

    // Assert
    expect(count).toBe(2);
  });

  it('a backlog that needs more than doubling gets a doubling, as the HPA allows at most', () => {
    // Arrange: 3 x 100 rps, 1,000 attempts: 1,000 / 0.85 / 100 = 11.8 replicas.
    const load = { originalRps: 1_000, attemptsRps: 1_000, throughputRps: 300, goodputRps: 300, backlog: 0 };

    // Act
    const count = overloadScaleCount(3, load);

    // Assert
    expect(count).toBe(3);
  });

  it('a service barely over its target gets one replica, and without an estimate a quarter more', () => {
    // Arrange: 8 x 100 rps serving 700 of 700 attempts, no backlog: 700 / 0.85 = 823.5 -> 9 replicas.
    const load = { originalRps: 700, attemptsRps: 700, throughputRps: 700, goodputRps: 700, backlog: 0 };

    // Act
    const sized = overloadScaleCount(8, { ...load, throughputRps: 800 });
    const unsized = overloadScaleCount(8, undefined);

    // Assert
    expect(sized).toBe(1);
    expect(unsized).toBe(2);
  });
});
