import type { SimKernel } from '../../sim/kernel.ts';
import type { Trace } from '../../sim/trace.ts';
import type { Network } from '../network.ts';
import { controlReachable, isAlive } from '../reach.ts';
import type { Owned, ReplicationField, ServiceReplicationField } from '../runtime/ownership.ts';
import type { Replica, ServiceRuntime } from '../runtime/records.ts';
import type { ReplicationMode } from '../spec.ts';
import { SplitBrainClock } from './split-brain.ts';

type RReplica = Owned<Replica, ReplicationField>;

/** Writes a replica may lack and still count as in sync: float arithmetic, not a real write. */
const SYNC_SLACK = 1e-6;

/**
 * Replicas in sync a primary needs before it accepts writes: none under async; one under sync (Patroni's
 * synchronous_mode with one synchronous standby); `acks` copies less its own under quorum.
 */
const ACKS_FROM_REPLICAS: Readonly<Record<ReplicationMode, (acks: number) => number>> = {
  async: () => 0,
  sync: () => 1,
  quorum: (acks) => acks - 1,
};
type RService = Owned<ServiceRuntime, ServiceReplicationField>;

/** What replication calls out to: the fluid flow it changes. */
export interface ReplicationHooks {
  fold(s: ServiceRuntime): void;
  recompute(s: ServiceRuntime): void;
}

/**
 * Stateful services: roles, the primary's log and each replica's position in it, streaming, leases and
 * fencing, promotion and switchover, split brain. Owns the replicas' roles and log positions and the
 * services' primary, writability, committed log and lost writes.
 */
export class Replication {
  private readonly splitBrain: SplitBrainClock;

  constructor(
    private readonly kernel: SimKernel,
    private readonly trace: Trace,
    private readonly network: Network,
    private readonly services: readonly ServiceRuntime[],
    private readonly flow: ReplicationHooks,
  ) {
    this.splitBrain = new SplitBrainClock(trace);
  }

  /** The first replica of a freshly built stateful service leads. */
  elect(service: ServiceRuntime): void {
    const s: RService = service;
    if (s.spec.stateful === undefined) return;
    const first: RReplica | undefined = s.replicas[0];
    if (first === undefined) return;
    first.role = 'primary';
    s.primary = first;
  }

  /**
   * A replica added to a running stateful service starts from a snapshot of the primary's log as it is now
   * (its copy is part of the replica's start time, `snapshotMs`); the writes made while it copies are caught
   * up once it streams.
   */
  joined(replica: Replica): void {
    const r: RReplica = replica;
    if (r.service.spec.stateful === undefined) return;
    this.flow.fold(r.service);
    r.role = 'replica';
    r.logPosition = r.service.committed;
  }

  /** Forgets a removed replica: its lease and its catch-up no longer matter, and it leads nothing. */
  forget(replica: Replica): void {
    const r: RReplica = replica;
    if (r.leaseTimer !== null) this.kernel.cancel(r.leaseTimer);
    r.leaseTimer = null;
    this.stopCatchUp(r);
    const s: RService = r.service;
    if (s.primary === r) s.primary = null;
  }

  /** Adds the writes the primary acknowledged over `dt` seconds to the service's log. */
  accrueWrites(service: ServiceRuntime, dt: number): void {
    const s: RService = service;
    s.committed += s.writable ? s.writeAckRps * dt : 0;
  }

  /**
   * Makes `target` the primary of its stateful service. Writes the old primary acknowledged that `target`
   * had not yet applied are lost, and counted. An old primary the control plane can reach is demoted now;
   * one it cannot reach keeps believing it is primary until it is reachable again or its lease runs out.
   */
  promote(replica: Replica): number {
    const target: RReplica = replica;
    const s: RService = target.service;
    this.flow.fold(s);
    const old: RReplica | null = s.primary;
    // Every replica's position as of now, before the log it follows changes hands.
    for (const replicaOf of s.replicas) {
      const r: RReplica = replicaOf;
      if (r !== old) this.freeze(r);
    }
    // A switchover paused the old primary's writes for longer than the replication lag: a replica that
    // streamed from it all along has applied everything it acknowledged.
    if (old !== null && old !== target && old.writesPaused && target.streaming)
      target.logPosition = s.committed;
    const position = this.logPosition(target);
    const lost = Math.max(0, s.committed - position);
    s.lostWrites += lost;
    s.committed = Math.min(s.committed, position);
    target.role = 'primary';
    target.fenced = false;
    s.primary = target;
    if (old !== null && old !== target) {
      if (controlReachable(this.network, old)) this.demote(old);
      // else: deposed, still primary in its own eyes; demoted when it can be told (see refresh).
    }
    // The others follow the new primary's log from what they hold of it; refresh starts their streams.
    for (const replicaOf of s.replicas) {
      const r: RReplica = replicaOf;
      if (r !== target && r.role === 'replica') {
        r.logPosition = Math.min(r.logPosition, s.committed);
        r.streaming = false;
      }
    }
    this.trace.record({
      t: this.kernel.nowMs,
      kind: 'service.promoted',
      source: s.spec.name,
      replica: target.id,
      lostWrites: lost,
    });
    this.flow.recompute(s);
    return lost;
  }

  /**
   * Stops (or resumes) a primary's writes for a planned switchover: clients see write errors while it lasts,
   * and the replicas catch up with its log.
   */
  pauseWrites(replica: Replica, paused: boolean): void {
    const primary: RReplica = replica;
    if (primary.writesPaused === paused || primary.state === 'removed') return;
    primary.writesPaused = paused;
    this.trace.record({
      t: this.kernel.nowMs,
      kind: paused ? 'writes.paused' : 'writes.resumed',
      source: primary.id,
    });
    this.flow.recompute(primary.service);
  }

  /**
   * Writes the primary has acknowledged that `r` holds (its replication position), as of the service's last
   * fold. A streaming replica in sync holds the whole log (less the async lag); one catching up holds what it
   * has applied at `catchUpRps` since its catch-up began, up to that.
   */
  logPosition(r: Replica): number {
    const s = r.service;
    if (r === s.primary) return s.committed;
    if (!r.streaming) return r.logPosition;
    const inSync = Math.max(r.logPosition, this.syncTarget(s));
    if (r.catchUpSinceMs < 0) return inSync;
    const rate = s.spec.stateful?.catchUpRps ?? Number.POSITIVE_INFINITY;
    const applied = r.logPosition + (rate * Math.max(0, s.countedAtMs - r.catchUpSinceMs)) / 1_000;
    return Math.min(applied, inSync);
  }

  /** What a replica in sync holds: the whole log, less the async lag's worth of writes. */
  private syncTarget(s: ServiceRuntime): number {
    const spec = s.spec.stateful;
    const lagWrites = spec?.replication === 'async' ? (s.writeAckRps * spec.asyncLagMs) / 1_000 : 0;
    return s.committed - lagWrites;
  }

  /** Total time so far with two primaries accepting writes. */
  splitBrainMs(nowMs: number): number {
    return this.splitBrain.totalMs(nowMs);
  }

  /** Whether two primaries of one service accept writes right now. */
  get splitBrainNow(): boolean {
    return this.splitBrain.now;
  }

  /** Streaming, leases, deposed primaries and whether writes are accepted, for a stateful service. */
  refresh(service: ServiceRuntime): void {
    const s: RService = service;
    const spec = s.spec.stateful;
    if (spec === undefined) return;
    const primary = s.primary;
    const primaryAlive = primary !== null && isAlive(primary);
    let inSync = 0;
    for (const replica of s.replicas) {
      const r: RReplica = replica;
      if (r.role === 'primary' && r !== primary) {
        // A deposed primary: demote it as soon as the control plane can tell it.
        if (controlReachable(this.network, r)) this.demote(r);
        else this.refreshLease(r, spec.leaseMs);
        continue;
      }
      if (r === primary) {
        this.refreshLease(r, spec.leaseMs);
        continue;
      }
      const streaming =
        primaryAlive &&
        primary !== null &&
        isAlive(r) &&
        this.network.connected(primary.node.index, r.node.index);
      const started = streaming && !r.streaming;
      if (streaming !== r.streaming) {
        if (!streaming) this.freeze(r);
        r.streaming = streaming;
        // It streams from what it holds: behind until its catch-up says otherwise.
        if (started) r.catchUpSinceMs = s.countedAtMs;
      }
      if (streaming && this.rebase(r, started)) inSync++;
    }
    s.writable =
      primary !== null &&
      primaryAlive &&
      !primary.fenced &&
      !primary.writesPaused &&
      this.network.controlLinked(primary.node.index) &&
      inSync >= ACKS_FROM_REPLICAS[spec.replication](spec.acks);
    this.scheduleCatchUps(s);
    this.splitBrain.refresh(this.services, this.kernel.nowMs);
  }

  /** Stops streaming bookkeeping: the position is what the replica holds now, and stays there. */
  private freeze(r: RReplica): void {
    if (r === r.service.primary) return;
    r.logPosition = this.logPosition(r);
    this.stopCatchUp(r);
  }

  private stopCatchUp(r: RReplica): void {
    r.catchUpSinceMs = -1;
    if (r.catchUpTimer !== null) this.kernel.cancel(r.catchUpTimer);
    r.catchUpTimer = null;
  }

  /**
   * Brings a streaming replica's catch-up up to now: what it applied becomes its position, and it is in sync
   * once nothing is left (within a millionth of a write, for the arithmetic). `started`: it has just begun to
   * stream, from what it holds. Returns whether it is in sync.
   */
  private rebase(r: RReplica, started: boolean): boolean {
    const position = this.logPosition(r);
    const gap = this.syncTarget(r.service) - position;
    const wasBehind = r.catchUpSinceMs >= 0 && !started;
    if (gap <= SYNC_SLACK) {
      if (wasBehind) this.trace.record({ t: this.kernel.nowMs, kind: 'replica.caught-up', source: r.id });
      this.stopCatchUp(r);
      return true;
    }
    if (!wasBehind) {
      this.trace.record({
        t: this.kernel.nowMs,
        kind: 'replica.catching-up',
        source: r.id,
        behind: Math.round(gap),
      });
    }
    r.logPosition = position;
    r.catchUpSinceMs = r.service.countedAtMs;
    return false;
  }

  /**
   * Sets each catching-up replica's timer to the instant it reaches the log, at the rates now in force: the
   * gap closes at `catchUpRps` less the write rate the log grows at (none while writes are refused). A
   * replica applying slower than writes arrive never catches up, and gets no timer.
   */
  private scheduleCatchUps(s: ServiceRuntime): void {
    const spec = s.spec.stateful;
    if (spec === undefined) return;
    const writes = s.writable ? s.offeredRps * (1 - s.shedFraction) * s.writeRatio : 0;
    const closing = spec.catchUpRps - writes;
    for (const replica of s.replicas) {
      const r: RReplica = replica;
      if (r.catchUpTimer !== null) this.kernel.cancel(r.catchUpTimer);
      r.catchUpTimer = null;
      if (!r.streaming || r.catchUpSinceMs < 0 || closing <= 0) continue;
      const gap = this.syncTarget(s) - this.logPosition(r);
      r.catchUpTimer = this.kernel.after(Math.ceil((gap / closing) * 1_000), () => {
        r.catchUpTimer = null;
        this.flow.recompute(s);
      });
    }
  }

  private demote(r: RReplica): void {
    r.role = 'replica';
    r.fenced = false;
    r.writesPaused = false;
    r.streaming = false;
    r.logPosition = r.service.committed;
    if (r.leaseTimer !== null) this.kernel.cancel(r.leaseTimer);
    r.leaseTimer = null;
    r.leaseExpiresAtMs = Number.POSITIVE_INFINITY;
    this.trace.record({ t: this.kernel.nowMs, kind: 'replica.demoted', source: r.id });
  }

  /** A primary keeps its lease while it reaches the control plane; once cut off, it fences itself after `leaseMs`. */
  private refreshLease(r: RReplica, leaseMs: number): void {
    if (controlReachable(this.network, r)) {
      if (r.leaseTimer !== null) this.kernel.cancel(r.leaseTimer);
      r.leaseTimer = null;
      r.leaseExpiresAtMs = Number.POSITIVE_INFINITY;
      r.fenced = false;
      return;
    }
    if (r.fenced || r.leaseTimer !== null || r.service.spec.stateful?.fencing === 'none') return;
    r.leaseExpiresAtMs = this.kernel.nowMs + leaseMs;
    r.leaseTimer = this.kernel.after(leaseMs, () => {
      r.leaseTimer = null;
      r.fenced = true;
      this.trace.record({ t: this.kernel.nowMs, kind: 'replica.fenced', source: r.id });
      this.flow.recompute(r.service);
    });
  }
}
