/**
 * Seeded heartbeat noise in closed form: network jitter on each heartbeat, and stop-the-world pauses of the
 * sending node (garbage collection and the like) that hold back every heartbeat due while they last. Each
 * value is a pure function of a node's key (drawn once from the `heartbeats` stream) and the heartbeat's or
 * pause window's number, so any heartbeat can be looked at without drawing the ones before it: nothing is
 * scheduled, and a run costs no more events than without noise.
 */

/** How noisy heartbeats are (see docs/architecture.md, "Heartbeat noise", for the defaults and sources). */
export interface HeartbeatNoiseSpec {
  /** Mean extra network delay of one heartbeat: exponential, capped at `JITTER_CAP` means. 0: none. */
  readonly jitterMs: number;
  /** One pause per window of this length, at a uniform offset in it. 0: no pauses. */
  readonly pauseEveryMs: number;
  /** Mean pause length: exponential, capped at `PAUSE_CAP` means. */
  readonly pauseMs: number;
}

/** No noise: heartbeats arrive exactly an interval apart (unit tests of other models use this). */
export const NO_HEARTBEAT_NOISE: HeartbeatNoiseSpec = { jitterMs: 0, pauseEveryMs: 0, pauseMs: 0 };

/** Jitter is capped at this many means (an exponential passes it with probability e^-10, 4.5e-5). */
export const JITTER_CAP = 10;
/** Pauses are capped at this many means (a full collection in place of a young one). */
export const PAUSE_CAP = 10;

/** Salts that keep the draws of one key independent of each other. */
const SALT = { jitter: 0x68e31da4, pauseAt: 0xb5297a4d, pauseLength: 0x1b56c4e9 } as const;

/** Uniform in [0, 1) from a key, a counter and a salt: Wellons' lowbias32 integer hash, twice. */
const uniform = (key: number, n: number, salt: number): number => {
  let h = (key ^ salt ^ Math.imul(n | 0, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  h = Math.imul(h ^ Math.floor(n / 4_294_967_296), 0x7feb352d);
  h ^= h >>> 15;
  return (h >>> 0) / 4_294_967_296;
};

/** Exponential with this mean, capped at `cap` means, from a uniform draw. */
const exponential = (u: number, mean: number, cap: number): number =>
  Math.min(-mean * Math.log(1 - u), cap * mean);

/** The noise of every node's heartbeats, one key per node. */
export class HeartbeatNoise {
  /** Longest a heartbeat can be held back by noise: the scan depth of the closed-form lookups. */
  readonly maxExtraMs: number;
  // Each node's pause in its last two windows looked at (slot 2i + w mod 2): every heartbeat lookup asks for
  // the window it falls in and the one before, about 60 lookups a window at the defaults, and each pause costs
  // two hashes and a logarithm. A cache of a pure function of (key, window): the values are the same.
  private readonly pauseWindow: Float64Array;
  private readonly pauseStart: Float64Array;
  private readonly pauseEnd: Float64Array;

  constructor(
    readonly spec: HeartbeatNoiseSpec,
    private readonly keys: Uint32Array,
  ) {
    const pauses = spec.pauseEveryMs > 0 ? PAUSE_CAP * spec.pauseMs : 0;
    this.maxExtraMs = JITTER_CAP * spec.jitterMs + pauses;
    this.pauseWindow = new Float64Array(2 * keys.length).fill(Number.NaN);
    this.pauseStart = new Float64Array(2 * keys.length);
    this.pauseEnd = new Float64Array(2 * keys.length);
  }

  /** Whether there is any noise at all (without it, heartbeats keep their exact arithmetic). */
  get any(): boolean {
    return this.maxExtraMs > 0;
  }

  /** Extra network delay of heartbeat number `k` of node `i`. */
  jitterMs(i: number, k: number): number {
    if (this.spec.jitterMs <= 0) return 0;
    return exponential(uniform(this.keys[i] ?? 0, k, SALT.jitter), this.spec.jitterMs, JITTER_CAP);
  }

  /** Start and end of node `i`'s pause in window `w` (windows of `pauseEveryMs` from time 0). */
  pause(i: number, w: number): readonly [number, number] {
    const slot = this.pauseSlot(i, w);
    return [this.pauseStart[slot] ?? 0, this.pauseEnd[slot] ?? 0];
  }

  /** When a heartbeat due at `dueMs` leaves node `i`: at once, or when the pause it fell into ends. */
  sendMs(i: number, dueMs: number): number {
    const every = this.spec.pauseEveryMs;
    if (every <= 0 || this.spec.pauseMs <= 0) return dueMs;
    const w = Math.floor(dueMs / every);
    // A pause from the window before can still be running (when a capped pause outlasts a window's tail).
    // This runs for every node every cycle: no array, no tuple.
    const before = this.pausedUntil(i, w - 1, dueMs);
    if (before >= 0) return before;
    const current = this.pausedUntil(i, w, dueMs);
    return current >= 0 ? current : dueMs;
  }

  /** The end of window `w`'s pause on node `i` when it covers `dueMs`, else -1. */
  private pausedUntil(i: number, w: number, dueMs: number): number {
    const slot = this.pauseSlot(i, w);
    const end = this.pauseEnd[slot] ?? 0;
    return dueMs >= (this.pauseStart[slot] ?? 0) && dueMs < end ? end : -1;
  }

  /** The cache slot holding node `i`'s pause in window `w`, drawn into it first if it holds another window. */
  private pauseSlot(i: number, w: number): number {
    const slot = 2 * i + (w & 1);
    if (this.pauseWindow[slot] !== w) {
      const every = this.spec.pauseEveryMs;
      const key = this.keys[i] ?? 0;
      const start = (w + uniform(key, w, SALT.pauseAt)) * every;
      this.pauseWindow[slot] = w;
      this.pauseStart[slot] = start;
      this.pauseEnd[slot] =
        start + exponential(uniform(key, w, SALT.pauseLength), this.spec.pauseMs, PAUSE_CAP);
    }
    return slot;
  }
}

/** One key per node, drawn from the heartbeat stream in node order. */
export const noiseKeys = (count: number, next: () => number): Uint32Array =>
  Uint32Array.from({ length: count }, () => Math.floor(next() * 4_294_967_296) >>> 0);
