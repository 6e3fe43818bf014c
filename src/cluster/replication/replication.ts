import type { SimKernel } from '../../sim/kernel.ts';
import type { Trace } from '../../sim/trace.ts';
import type { Network } from '../network.ts';
import { controlReachable, isAlive } from '../reach.ts';
import type {
  Owned,
  Replica,
  ReplicationField,
  ServiceReplicationField,
  ServiceRuntime,
} from '../runtime.ts';
import { SplitBrainClock } from './split-brain.ts';

type RReplica = Owned<Replica, ReplicationField>;
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

  /** A replica added to a running stateful service joins as an empty replica that must catch up. */
  joined(replica: Replica): void {
    const r: RReplica = replica;
    if (r.service.spec.stateful === undefined) return;
    r.role = 'replica';
    r.logPosition = 0;
  }

  /** Forgets a removed replica: its lease no longer matters, and it leads nothing. */
  forget(replica: Replica): void {
    const r: RReplica = replica;
    if (r.leaseTimer !== null) this.kernel.cancel(r.leaseTimer);
    r.leaseTimer = null;
    const s: RService = r.service;
    if (s.primary === r) s.primary = null;
  }

  /** Adds the writes the primary acknowledged over `dt` seconds to the service's log. */
  accrueWrites(service: ServiceRuntime, dt: number): void {
    const s: RService = service;
    s.committed += s.writable ? s.writeRps * dt : 0;
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
    for (const replicaOf of s.replicas) {
      const r: RReplica = replicaOf;
      if (r !== target && r.role === 'replica') r.logPosition = Math.min(r.logPosition, s.committed);
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

  /** Writes the primary has acknowledged that `r` holds (its replication position). */
  logPosition(r: Replica): number {
    const s = r.service;
    if (r === s.primary) return s.committed;
    if (!r.streaming) return r.logPosition;
    const lagWrites =
      s.spec.stateful?.replication === 'async'
        ? (s.writeRps * (s.spec.stateful?.asyncLagMs ?? 0)) / 1_000
        : 0;
    return Math.max(r.logPosition, s.committed - lagWrites);
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
    let anyStreaming = false;
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
      if (streaming !== r.streaming) {
        if (!streaming) r.logPosition = this.logPosition(r);
        r.streaming = streaming;
      }
      if (streaming) anyStreaming = true;
    }
    s.writable =
      primary !== null &&
      primaryAlive &&
      !primary.fenced &&
      !primary.writesPaused &&
      this.network.controlLinked(primary.node.index) &&
      (spec.replication === 'async' || anyStreaming);
    this.splitBrain.refresh(this.services, this.kernel.nowMs);
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
