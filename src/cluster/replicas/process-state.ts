import type { SimKernel } from '../../sim/kernel.ts';
import type { Trace } from '../../sim/trace.ts';
import type { Owned, ProcessField } from '../runtime/ownership.ts';
import type { Replica, ServiceRuntime } from '../runtime/records.ts';
import type { Termination } from '../runtime/states.ts';
import type { ServiceSpec } from '../spec.ts';
import type { Traffic } from '../traffic/traffic.ts';

type PReplica = Owned<Replica, ProcessField>;

/** A container's memory limit when the service states none, MB. */
export const DEFAULT_MEMORY_LIMIT_MB = 512;

/** The container's memory limit, MB. */
export const memoryLimitMbOf = (spec: ServiceSpec): number => spec.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;

/** The container's working set right after it starts, MB: stated, else a quarter of its limit. */
export const startMemoryMbOf = (spec: ServiceSpec): number => spec.memoryMb ?? memoryLimitMbOf(spec) / 4;

/**
 * What a fault puts inside one replica's process. `hang`: it answers nothing and dies with its process (a
 * restart cures it). `crash-loop`: it exits `exitAfterMs` after each start. `bad-build`: its answers are slower
 * by `latencyFactor` and fail at `errorRate`. `leak`: its working set grows `mbPerMs` from each start until the
 * container's limit, where the OOM killer ends it. All but a hang survive a restart: they are in the code.
 */
export type ProcessEffect =
  | { readonly kind: 'hang' }
  | { readonly kind: 'crash-loop'; readonly exitAfterMs: number }
  | { readonly kind: 'bad-build'; readonly latencyFactor: number; readonly errorRate: number }
  | { readonly kind: 'leak'; readonly mbPerMs: number };

interface Held {
  readonly effect: ProcessEffect;
  /** Whether the effect came with a new version: a rollback to the previous one removes it. */
  readonly versioned: boolean;
}

/** Called when a fault's effect leaves a replica (cured, rolled back, replaced, or the fault ended). */
export type CuredListener = (faultId: string, replica: Replica, nowMs: number) => void;

/** Called when a container ends by itself (it exited, or the OOM killer ended it). */
export type ExitListener = (replica: Replica, reason: Termination, nowMs: number) => void;

/**
 * The processes inside the replicas: versions, restart counts, terminations, hangs, bad builds and container
 * memory. Owns the replicas' `ProcessField`s and the faults' effects on them; stops a container through the
 * replica life cycle (`stop`) when it exits. Between events every quantity is constant or linear (a leak), so a
 * leak costs one kernel event per container life: its OOM kill, at (limit - start) / rate after the start.
 */
export class ProcessState {
  private readonly effects = new Map<number, Map<string, Held>>();
  /** Per service index: the newest version deployed so far. */
  private readonly latest: number[] = [];
  private readonly cured: CuredListener[] = [];
  private readonly exited: ExitListener[] = [];
  /** Stops a container (the replica life cycle's `stop`), wired by it. */
  stopContainer: (r: Replica) => void = () => {};
  /** Restarts a container after `startMs` (the replica life cycle's `restart`), wired by it. */
  restartContainer: (r: Replica, startMs: number) => void = () => {};

  constructor(
    private readonly kernel: SimKernel,
    private readonly trace: Trace,
    private readonly traffic: Traffic,
    /** How long a container takes to start (the effectors' replica start). */
    private readonly startMs: number,
  ) {}

  /**
   * The version a new replica of a service runs: the first. A fault's new version lives in the replicas it
   * hit, not in the service's template, so a replica added meanwhile (scale-out, a move) runs the old one.
   */
  stableVersion(_s: ServiceRuntime): number {
    return 1;
  }

  /** Registers a listener for effects leaving replicas (the chaos injector's ground truth). */
  onCured(listener: CuredListener): void {
    this.cured.push(listener);
  }

  /** Registers a listener for containers that end by themselves (a node agent's event stream). */
  onExit(listener: ExitListener): void {
    this.exited.push(listener);
  }

  /** The container's working set now, MB (0 while it does not run). */
  memoryMbNow(r: Replica, nowMs: number): number {
    if (r.state !== 'running') return 0;
    return Math.min(
      memoryLimitMbOf(r.service.spec),
      r.memoryMb + r.memoryGrowthMbPerMs * (nowMs - r.memorySinceMs),
    );
  }

  /**
   * Puts a fault's effect in replicas. With `newVersion` they first move to one new version of their service
   * (the fault is a bad build or config shipped to them), which a rollback takes back.
   */
  apply(faultId: string, replicas: readonly Replica[], effect: ProcessEffect, newVersion: boolean): void {
    const now = this.kernel.nowMs;
    const versions = new Map<number, number>();
    for (const replica of replicas) {
      if (replica.state === 'removed') continue;
      const r: PReplica = replica;
      const s = r.service;
      this.traffic.fold(s);
      if (newVersion) {
        const next = versions.get(s.index) ?? Math.max(this.latest[s.index] ?? 1, r.version) + 1;
        versions.set(s.index, next);
        this.latest[s.index] = next;
        r.previousVersion = r.version;
        r.version = next;
        this.trace.record({ t: now, kind: 'replica.deployed', source: r.id, version: next });
      }
      let held = this.effects.get(r.slot);
      if (held === undefined) {
        held = new Map();
        this.effects.set(r.slot, held);
      }
      held.set(faultId, { effect, versioned: newVersion });
      if (effect.kind === 'crash-loop') this.crashClock.set(r.slot, now);
      this.refresh(r, now, false);
      this.traffic.recompute(s);
    }
  }

  /**
   * Ends a fault in every replica that still holds it (its duration ran out: the infrastructure's own repair).
   * A fault that shipped a new version leaves with it (the replica is back on the version before), and a
   * container it had ended is started again, as the redeploy that repairs it would: the process fault's
   * counterpart of a crashed machine that reboots at its fault's end.
   */
  clear(faultId: string, replicas: readonly Replica[]): void {
    const now = this.kernel.nowMs;
    for (const replica of replicas) {
      const held = this.effects.get(replica.slot);
      const h = held?.get(faultId);
      if (held === undefined || h === undefined) continue;
      held.delete(faultId);
      const r: PReplica = replica;
      this.traffic.fold(r.service);
      if (h.versioned && ![...held.values()].some((o) => o.versioned)) r.version = r.previousVersion;
      this.refresh(r, now, false);
      this.traffic.recompute(r.service);
      this.notifyCured(faultId, r, now);
      if (r.state === 'stopped' && r.node.state === 'up' && r.lastTerminationAtMs >= 0)
        this.restartContainer(r, this.startMs);
    }
  }

  /**
   * The replica life cycle changed a replica's state (called before the service is recomputed). A start after
   * the first counts a restart; a process that stops takes its hang and its memory with it; a container that
   * runs begins its working set afresh and schedules its exit, if its build or a leak brings one.
   */
  stateChanged(replica: Replica, nowMs: number): void {
    const r: PReplica = replica;
    if (r.exitTimer !== null) {
      this.kernel.cancel(r.exitTimer);
      r.exitTimer = null;
    }
    if (r.state === 'starting') {
      if (r.startedOnce) r.restarts++;
      r.startedOnce = true;
    }
    const held = this.effects.get(r.slot);
    if (r.state === 'removed') {
      this.effects.delete(r.slot);
      for (const id of held?.keys() ?? []) this.notifyCured(id, r, nowMs);
      return;
    }
    if (r.state !== 'running' && held !== undefined) {
      // A hang lives in the process: whatever stops it ends the hang.
      for (const [id, h] of held) {
        if (h.effect.kind !== 'hang') continue;
        held.delete(id);
        this.notifyCured(id, r, nowMs);
      }
    }
    this.refresh(r, nowMs, r.state === 'running');
  }

  /**
   * Rolls a service's replicas that run a newer version back to the one before it, `batch` at a time, each
   * batch replaced by pods of the previous version that take `startMs` to start (a Deployment's rollback with
   * maxUnavailable = batch). The new pods keep their node and start with a restart count of 0.
   */
  rollBack(service: ServiceRuntime, replicas: readonly Replica[], batch: number, startMs: number): void {
    const size = Math.max(1, batch);
    for (let b = 0; b * size < replicas.length; b++) {
      const group = replicas.slice(b * size, (b + 1) * size);
      const go = () => {
        for (const replica of group) {
          if (replica.state === 'removed') continue;
          const r: PReplica = replica;
          this.traffic.fold(service);
          const now = this.kernel.nowMs;
          r.version = r.previousVersion;
          const held = this.effects.get(r.slot);
          for (const [id, h] of held ?? []) {
            if (!h.versioned) continue;
            held?.delete(id);
            this.notifyCured(id, r, now);
          }
          r.restarts = 0;
          r.startedOnce = false;
          r.lastTermination = null;
          r.lastTerminationAtMs = -1;
          this.trace.record({ t: now, kind: 'replica.rolled-back', source: r.id, version: r.version });
          this.restartContainer(r, startMs);
        }
      };
      if (b === 0) go();
      else this.kernel.after(b * startMs, go);
    }
  }

  /** A container's start failed (an action's restart that did not come up): it ends on an error. */
  failedStart(replica: Replica): void {
    if (replica.state === 'removed') return;
    const r: PReplica = replica;
    r.lastTermination = 'Error';
    r.lastTerminationAtMs = this.kernel.nowMs;
  }

  private notifyCured(faultId: string, r: Replica, nowMs: number): void {
    for (const l of this.cured) l(faultId, r, nowMs);
  }

  /**
   * Derives the replica's process fields from its effects. `fresh`: the container has just started running,
   * so its working set starts over and its exit, if any, is scheduled from now.
   */
  private refresh(r: PReplica, nowMs: number, fresh: boolean): void {
    const held = this.effects.get(r.slot);
    if (held === undefined || held.size === 0) {
      // The common case, a replica no process fault holds: its defaults, without iterating anything.
      const running = r.state === 'running';
      r.hung = false;
      r.processLatencyFactor = 1;
      r.processErrorRate = 0;
      r.memoryMb = !running ? 0 : fresh ? startMemoryMbOf(r.service.spec) : this.memoryMbNow(r, nowMs);
      r.memorySinceMs = nowMs;
      r.memoryGrowthMbPerMs = 0;
      if (r.exitTimer !== null) {
        this.kernel.cancel(r.exitTimer);
        r.exitTimer = null;
      }
      return;
    }
    let hung = false;
    let latency = 1;
    let ok = 1;
    let growth = 0;
    let exitAfter = Number.POSITIVE_INFINITY;
    for (const { effect: e } of held.values()) {
      if (e.kind === 'hang') hung = true;
      else if (e.kind === 'bad-build') {
        latency *= e.latencyFactor;
        ok *= 1 - e.errorRate;
      } else if (e.kind === 'leak') growth += e.mbPerMs;
      else exitAfter = Math.min(exitAfter, e.exitAfterMs);
    }
    r.hung = hung && r.state === 'running';
    r.processLatencyFactor = latency;
    r.processErrorRate = 1 - ok;
    const spec = r.service.spec;
    const running = r.state === 'running';
    const memory = fresh || !running ? startMemoryMbOf(spec) : this.memoryMbNow(r, nowMs);
    r.memoryMb = running ? memory : 0;
    r.memorySinceMs = nowMs;
    r.memoryGrowthMbPerMs = running ? growth : 0;
    if (!running) return;
    if (r.exitTimer !== null) {
      this.kernel.cancel(r.exitTimer);
      r.exitTimer = null;
    }
    const oomAfter =
      growth > 0 ? Math.max(0, (memoryLimitMbOf(spec) - memory) / growth) : Number.POSITIVE_INFINITY;
    // A crash-looping build's exit counts from the start (or from the moment the crash-loop landed in a running
    // container); on a later change it keeps its instant.
    if (fresh) this.crashClock.set(r.slot, nowMs);
    const startedAt = this.crashClock.get(r.slot) ?? nowMs;
    const exitAt = Math.max(nowMs, startedAt + exitAfter);
    const oomAt = nowMs + oomAfter;
    const at = Math.min(exitAt, oomAt);
    if (!Number.isFinite(at)) return;
    const reason: Termination = oomAt <= exitAt ? 'OOMKilled' : 'Error';
    r.exitTimer = this.kernel.at(at, () => this.exit(r, reason));
  }

  /** Per slot: when the running container's crash-loop clock started (its start, or the fault's landing). */
  private readonly crashClock = new Map<number, number>();

  private exit(r: PReplica, reason: Termination): void {
    r.exitTimer = null;
    if (r.state !== 'running') return;
    const now = this.kernel.nowMs;
    r.lastTermination = reason;
    r.lastTerminationAtMs = now;
    this.trace.record({ t: now, kind: 'replica.exited', source: r.id, reason });
    this.stopContainer(r);
    for (const l of this.exited) l(r, reason, now);
  }
}
