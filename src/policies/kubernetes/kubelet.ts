import type { NodeId, ReplicaId } from '../../cluster/ids.ts';
import type { TimerHandle } from '../../sim/kernel.ts';
import type { ControllerContext } from '../../world/controller.ts';
import { type BackOffSettings, CrashLoopBackOff } from '../crash-loop-backoff.ts';
import type { InventoryChange } from '../inventory.ts';
import { every, type Periodic } from '../periodic.ts';
import type { LivenessSettings } from './defaults.ts';

/** One container's probe worker. */
interface ProbeWorker {
  readonly replica: ReplicaId;
  readonly node: NodeId;
  readonly phaseMs: number;
  /** Consecutive failed probes. */
  failures: number;
  /** From the kill decision until the restarted container runs: no probing. */
  restarting: boolean;
  timer: TimerHandle | null;
}

/** The probes that share one phase of the period: one kernel event per period for all of them. */
interface PhaseGroup {
  readonly members: Set<ProbeWorker>;
  readonly periodic: Periodic;
}

/** The kubelet's generic PLEG relists containers every second (pkg/kubelet/kubelet.go, `genericPlegRelistPeriod`). */
const PLEG_RELIST_MS = 1_000;

/** Probe phases are whole seconds: at most `period / 1 s` sweeps per period, however many containers. */
const PHASE_GRAIN_MS = 1_000;

/**
 * The kubelets of every node, modelled node-locally: each container's liveness probe runs every period from
 * the container's creation (phase), a probe that fails `failureThreshold` times in a row kills the container
 * when its timeout expires, and the container is restarted in place by the node's own agent (`local: true`,
 * so it needs no link to the control plane) after the crash-loop back-off. A kubelet is down while its node is:
 * it neither probes nor restarts then.
 */
export class Kubelets {
  private readonly workers = new Map<ReplicaId, ProbeWorker>();
  private readonly groups = new Map<number, PhaseGroup>();
  private readonly backOff: CrashLoopBackOff;
  private stopped = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly liveness: LivenessSettings,
    backOff: BackOffSettings,
  ) {
    this.backOff = new CrashLoopBackOff(backOff);
    // A container that ends by itself (it exited, or the OOM killer ended it) is seen at the next PLEG relist
    // and restarted after its back-off, as one the liveness probe killed (restartPolicy: Always).
    ctx.sensors.onContainerExit((replica, reason, atMs) => {
      const w = this.workers.get(replica);
      if (this.stopped || w === undefined || w.restarting) return;
      w.restarting = true;
      w.failures = 0;
      const seenAt = (Math.floor(atMs / PLEG_RELIST_MS) + 1) * PLEG_RELIST_MS;
      w.timer = this.ctx.kernel.at(seenAt, () => {
        // The pod's status says why (its `lastState.terminated.reason`): the kubelet's event names it.
        this.ctx.reportDetection({
          component: replica,
          diagnosis: reason === 'OOMKilled' ? 'oom-killed' : 'container-exited',
        });
        this.died(w, seenAt);
      });
    });
  }

  /** Starts probing new replicas (phase = their creation time) and forgets removed ones. */
  track(change: InventoryChange): void {
    for (const id of change.removed) this.forget(id);
    const now = this.ctx.kernel.nowMs;
    const phaseMs = Math.floor((now % this.liveness.periodMs) / PHASE_GRAIN_MS) * PHASE_GRAIN_MS;
    for (const p of change.added) {
      const w: ProbeWorker = {
        replica: p.replica,
        node: p.node,
        phaseMs,
        failures: 0,
        restarting: false,
        timer: null,
      };
      this.workers.set(p.replica, w);
      this.group(phaseMs).members.add(w);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const g of this.groups.values()) g.periodic.stop();
    for (const w of this.workers.values()) if (w.timer !== null) this.ctx.kernel.cancel(w.timer);
    this.groups.clear();
  }

  private group(phaseMs: number): PhaseGroup {
    let g = this.groups.get(phaseMs);
    if (g === undefined) {
      const members = new Set<ProbeWorker>();
      g = {
        members,
        periodic: every(this.ctx.kernel, this.liveness.periodMs, () => this.sweep(members), phaseMs),
      };
      this.groups.set(phaseMs, g);
    }
    return g;
  }

  private forget(id: ReplicaId): void {
    const w = this.workers.get(id);
    if (w === undefined) return;
    if (w.timer !== null) this.ctx.kernel.cancel(w.timer);
    this.workers.delete(id);
    this.backOff.forget(id);
    const g = this.groups.get(w.phaseMs);
    g?.members.delete(w);
    if (g !== undefined && g.members.size === 0) {
      g.periodic.stop();
      this.groups.delete(w.phaseMs);
    }
  }

  private sweep(members: Set<ProbeWorker>): void {
    const { sensors } = this.ctx;
    const { timeoutMs, failureThreshold } = this.liveness;
    for (const w of members) {
      if (w.restarting) continue;
      const passed = sensors.livenessProbe(w.replica, timeoutMs);
      // A probe fails on a down node too, but there is no kubelet there to count it (asked only on failure).
      if (passed !== false || !sensors.nodeAgentUp(w.node)) {
        w.failures = 0;
        continue;
      }
      w.failures++;
      if (w.failures < failureThreshold) continue;
      w.failures = 0;
      w.restarting = true;
      this.ctx.reportDetection({ component: w.replica, diagnosis: 'liveness-probe-failed' });
      // The probe that crossed the threshold fails when its timeout runs out: the kubelet kills then.
      w.timer = this.ctx.kernel.after(timeoutMs, () => this.died(w, this.ctx.kernel.nowMs));
    }
  }

  /** The container exited (killed, or a restart that did not start): restart it after the back-off. */
  private died(w: ProbeWorker, failedAtMs: number): void {
    w.timer = this.ctx.kernel.at(this.backOff.restartAllowedAt(w.replica, failedAtMs), () =>
      this.restart(w, failedAtMs),
    );
  }

  private restart(w: ProbeWorker, failedAtMs: number): void {
    w.timer = null;
    if (!this.ctx.sensors.nodeAgentUp(w.node)) {
      // The node went down with its kubelet; on reboot its containers start again by themselves.
      w.restarting = false;
      return;
    }
    this.backOff.recordRestart(w.replica, failedAtMs, this.ctx.kernel.nowMs);
    this.ctx.effectors.execute({ kind: 'restart-replica', replica: w.replica, local: true }, (outcome) => {
      if (this.workers.get(w.replica) !== w) return;
      if (!outcome.ok && outcome.failure.kind === 'transient') {
        this.died(w, outcome.finishedAtMs);
        return;
      }
      w.restarting = false;
      w.failures = 0;
    });
  }
}
