import { describe, expect, it } from 'vitest';
import {
  HeartbeatNoise,
  JITTER_CAP,
  noiseKeys,
  PAUSE_CAP,
} from '../../src/cluster/heartbeats/heartbeat-noise.ts';
import { Heartbeats } from '../../src/cluster/heartbeats/heartbeats.ts';
import { Network } from '../../src/cluster/network.ts';
import type { NodeRuntime } from '../../src/cluster/runtime/records.ts';
import { HeartbeatDetectors } from '../../src/mapek/failure-detectors.ts';
import { SimKernel } from '../../src/sim/kernel.ts';
import { RandomStreams } from '../../src/sim/random-streams.ts';

const keys = (n: number, seed = 1) => {
  const s = new RandomStreams(seed).stream('heartbeats');
  return noiseKeys(n, () => s.next());
};

const NODE = { index: 0, state: 'up' } as unknown as NodeRuntime;

/** One node's heartbeats, 1 s apart with a 20 ms delay, under the given noise, flowing from time 0. */
const heartbeatsWith = (jitterMs: number, pauseEveryMs: number, pauseMs: number) => {
  const kernel = new SimKernel();
  const network = new Network(1);
  const noise = new HeartbeatNoise({ jitterMs, pauseEveryMs, pauseMs }, keys(1));
  const hb = new Heartbeats(1, 1_000, 20, kernel, network, noise);
  hb.refresh(NODE);
  return { hb, noise };
};

describe('heartbeat noise', () => {
  it('draws jitter with the mean asked for (exponential: 5 ms over 20,000 heartbeats within 2 %), never past the cap', () => {
    const noise = new HeartbeatNoise({ jitterMs: 5, pauseEveryMs: 0, pauseMs: 0 }, keys(1));
    const draws = Array.from({ length: 20_000 }, (_, k) => noise.jitterMs(0, k));

    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;

    expect(Math.abs(mean - 5) / 5).toBeLessThan(0.02);
    expect(Math.max(...draws)).toBeLessThanOrEqual(JITTER_CAP * 5);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
  });

  it('holds a heartbeat due during a pause until the pause ends, and leaves one due outside alone', () => {
    const noise = new HeartbeatNoise({ jitterMs: 0, pauseEveryMs: 60_000, pauseMs: 50 }, keys(1));
    const [start, end] = noise.pause(0, 3);

    expect(start).toBeGreaterThanOrEqual(180_000);
    expect(start).toBeLessThan(240_000);
    expect(end - start).toBeLessThanOrEqual(PAUSE_CAP * 50);
    expect(noise.sendMs(0, (start + end) / 2)).toBe(end);
    expect(noise.sendMs(0, end)).toBe(end);
    expect(noise.sendMs(0, start - 1)).toBe(start - 1);
  });

  it('gives pauses of the mean asked for: 50 ms over 5,000 windows within 5 %', () => {
    const noise = new HeartbeatNoise({ jitterMs: 0, pauseEveryMs: 60_000, pauseMs: 50 }, keys(1));
    const lengths = Array.from({ length: 5_000 }, (_, w) => {
      const [s, e] = noise.pause(0, w);
      return e - s;
    });

    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;

    expect(Math.abs(mean - 50) / 50).toBeLessThan(0.05);
  });

  it('derives the same arrivals from the same seed, different ones from another, without scheduling anything', () => {
    const a = heartbeatsWith(5, 10_000, 300).hb.arrivals(NODE, 0, 120_000, 200);
    const b = heartbeatsWith(5, 10_000, 300).hb.arrivals(NODE, 0, 120_000, 200);
    const kernel = new SimKernel();
    const other = new Heartbeats(
      1,
      1_000,
      20,
      kernel,
      new Network(1),
      new HeartbeatNoise({ jitterMs: 5, pauseEveryMs: 10_000, pauseMs: 300 }, keys(1, 2)),
    );
    other.refresh(NODE);

    expect(a).toEqual(b);
    expect(a).toHaveLength(120);
    expect(other.arrivals(NODE, 0, 120_000, 200)).not.toEqual(a);
  });

  it('never delivers a heartbeat before its due time plus the delay, nor later than the noise allows', () => {
    const { hb, noise } = heartbeatsWith(5, 10_000, 300);
    const arrivals = hb.arrivals(NODE, 0, 600_000, 1_000);

    const lateness = arrivals.map((t) => t - 20 - Math.floor((t - 20) / 1_000) * 1_000);
    expect(arrivals).toHaveLength(600);
    expect(Math.min(...arrivals.slice(1).map((t, i) => t - (arrivals[i] ?? 0)))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...arrivals.map((t, k) => t - (k * 1_000 + 20)))).toBeLessThanOrEqual(noise.maxExtraMs);
    expect(lateness.every((x) => x >= 0)).toBe(true);
  });

  it('the last heartbeat seen at any instant is the latest of the arrivals listed up to it', () => {
    const { hb } = heartbeatsWith(5, 10_000, 300);
    const all = hb.arrivals(NODE, 0, 300_000, 1_000);

    for (const now of [999, 1_020, 45_310, 123_456, 299_999]) {
      const upTo = all.filter((t) => t <= now);
      expect(hb.lastMs(NODE, now)).toBe(upTo.length === 0 ? 0 : upTo[upTo.length - 1]);
    }
  });

  it('at the default noise, the last heartbeat and its send time match a scan of every heartbeat (the newest settles it)', () => {
    // Defaults: 5 ms jitter, a 50 ms pause a minute: at most 0.55 s of noise on heartbeats 1 s apart.
    const { hb } = heartbeatsWith(5, 60_000, 50);
    const fresh = () => new HeartbeatNoise({ jitterMs: 5, pauseEveryMs: 60_000, pauseMs: 50 }, keys(1));
    const brute = (now: number) => {
      const noise = fresh();
      let arrival = 0;
      let sent = 0;
      for (let k = 0; k * 1_000 <= now; k++) {
        const s = noise.sendMs(0, k * 1_000);
        const a = s + 20 + noise.jitterMs(0, k);
        if (a <= now) {
          arrival = Math.max(arrival, a);
          sent = Math.max(sent, s);
        }
      }
      return [arrival, sent];
    };
    // Out of order, across windows and back, so the pause cache is asked for windows it no longer holds.
    const instants = [3_599_999, 61_020, 1_020, 7_200_500, 60_030, 119_990, 3_540_010, 25, 180_049];

    const seen = instants.map((now) => [hb.lastMs(NODE, now), hb.lastSentMs(NODE, now)]);

    expect(seen).toEqual(instants.map(brute));
  });
});

/** Gaps between successive arrivals, and for each whether a detector would have suspected the node during it. */
const suspicions = (arrivals: readonly number[], fixedTimeoutMs: number, phiThreshold: number) => {
  const detectors = new HeartbeatDetectors(1, 1_000, 0);
  let phi = 0;
  let fixed = 0;
  for (let k = 1; k < arrivals.length; k++) {
    const last = arrivals[k - 1] ?? 0;
    const next = arrivals[k] ?? 0;
    detectors.observe(0, last, last);
    // The silence peaks just before the next heartbeat: that is when either detector would suspect.
    if (detectors.observe(0, last, next - 1) >= phiThreshold) phi++;
    if (next - 1 - last > fixedTimeoutMs) fixed++;
  }
  return { phi, fixed };
};

describe('phi-accrual adapts to noisy heartbeats where a fixed timeout does not', () => {
  it('hand-worked: gaps of 1 s with a 1.6 s gap every 10th (a 600 ms pause) are never suspected by phi >= 8, always by a 1.5 s timeout', () => {
    // 201 arrivals: 200 gaps, 20 of them 1,600 ms. With the statistics settled, mean ~ 1,060 ms and a
    // deviation ~ 180-200 ms (the 200 ms floor binds), a 1,599 ms silence is y ~ 2.7 deviations late:
    // phi ~ 2.6, far below 8. The 1.5 s timeout fires on each of the 20 long gaps.
    const arrivals = [0];
    for (let k = 1; k <= 200; k++) arrivals.push((arrivals[k - 1] ?? 0) + (k % 10 === 0 ? 1_600 : 1_000));

    expect(suspicions(arrivals, 1_500, 8)).toEqual({ phi: 0, fixed: 20 });
  });

  it('on the model with JVM-like pauses (300 ms mean every 10 s, seed 1, one hour): phi >= 8 suspects a live node 5 times, a 1.2 s timeout 52', () => {
    // Hand check of the timeout's count: 360 pauses at uniform offsets; a pause of d ms stretches a gap past
    // 1.2 s when a heartbeat falls due in its first d - 200 ms, probability (d - 200) / 1,000. For d
    // exponential with mean 300, E[(d - 200)+] = 300 e^(-2/3) = 154 ms, so 360 x 0.154 = 55 expected; 52
    // drawn. Phi learns the variance those gaps add: only pauses past ~2 s (a handful) reach phi 8.
    const arrivals = heartbeatsWith(5, 10_000, 300).hb.arrivals(NODE, 0, 3_600_000, 4_000);

    const found = suspicions(arrivals, 1_200, 8);

    expect(arrivals).toHaveLength(3_600);
    expect(found).toEqual({ phi: 5, fixed: 52 });
  });
});
