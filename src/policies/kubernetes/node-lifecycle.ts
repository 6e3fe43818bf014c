import type { NodeId, ReplicaId } from '../../cluster/ids.ts';
import type { TimerHandle } from '../../sim/kernel.ts';
import type { ControllerContext, ControllerEffectors } from '../../world/controller.ts';
import type { Inventory } from '../inventory.ts';
import type { NodeLifecycleSettings } from './defaults.ts';

/** What the node lifecycle controller holds about one node. */
interface NodeStatus {
  readonly node: NodeId;
  ready: boolean;
  /** A Ready node cannot turn NotReady before this (its last heartbeat plus the grace): skipped until then. */
  dueAtMs: number;
  /** Carries the NoExecute taint: its pods are evicted when their toleration runs out. */
  tainted: boolean;
  /** Waiting in the rate-limited taint queue. */
  queued: boolean;
  /** The pods' toleration ran out: evict (and retry evicting) its stateless pods while it stays NotReady. */
  evicting: boolean;
  evictionTimer: TimerHandle | null;
  /** Its pods are out of the endpoints, as far as the last drain or undrain that took says. */
  drained: boolean;
  /** A drain or undrain on its way. */
  reconciling: boolean;
}

/**
 * The node lifecycle controller, in the control plane: every monitor period it checks each node's last
 * heartbeat; silent for the grace period, the node is NotReady, its pods are marked not ready (the endpoints
 * drop them: `drain-node`) and it gets the NoExecute taint, at a rate limited per zone (the whole cluster is one
 * zone here). Pods tolerate the taint for `tolerationMs`; then the Deployment pods are evicted and recreated on
 * a Ready node (`move-replica`). StatefulSet pods are left Terminating until the node returns: no replacement,
 * no failover. A node heard again is Ready: untainted and undrained, pending evictions cancelled.
 */
export class NodeLifecycle {
  private readonly status = new Map<NodeId, NodeStatus>();
  /** The same statuses in node order, for the monitor's scan. */
  private readonly scan: NodeStatus[] = [];
  private readonly taintQueue: NodeId[] = [];
  private readonly moving = new Set<ReplicaId>();
  private nextTaintAtMs = 0;
  private syncCount = 0;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly inventory: Inventory,
    private readonly effectors: ControllerEffectors,
    private readonly settings: NodeLifecycleSettings,
  ) {
    for (const node of ctx.sensors.nodeIds()) {
      const st: NodeStatus = {
        node,
        ready: true,
        dueAtMs: 0,
        tainted: false,
        queued: false,
        evicting: false,
        evictionTimer: null,
        drained: false,
        reconciling: false,
      };
      this.status.set(node, st);
      this.scan.push(st);
    }
  }

  /** Whether a pod is being evicted (Terminating, its replacement on the way). */
  evicting(replica: ReplicaId): boolean {
    return this.moving.has(replica);
  }

  /** Monitor periods completed. */
  get syncs(): number {
    return this.syncCount;
  }

  /** One pass of the node monitor. */
  sync(): void {
    this.syncCount++;
    const { sensors, kernel } = this.ctx;
    const now = kernel.nowMs;
    const grace = this.settings.gracePeriodMs;
    let notReady = 0;
    for (const st of this.scan) {
      // A drain or undrain that failed is sent again: the controller keeps marking the pods until it takes.
      if (st.drained === st.ready && !st.reconciling) this.reconcileEndpoints(st);
      if (st.ready && now <= st.dueAtMs) continue;
      const node = st.node;
      const lastHeartbeatMs = sensors.lastHeartbeatMs(node);
      const heard = now - lastHeartbeatMs <= grace;
      st.dueAtMs = lastHeartbeatMs + grace;
      if (st.ready && !heard) this.markNotReady(node, st);
      else if (!st.ready && heard) this.markReady(node, st);
      if (!st.ready) notReady++;
      if (st.evicting) this.evict(node);
    }
    this.taint(now, this.evictionRate(notReady));
  }

  stop(): void {
    for (const st of this.scan) if (st.evictionTimer !== null) this.ctx.kernel.cancel(st.evictionTimer);
  }

  private markNotReady(node: NodeId, st: NodeStatus): void {
    st.ready = false;
    this.ctx.reportDetection({ component: node, diagnosis: 'NodeNotReady' });
    this.reconcileEndpoints(st);
    st.queued = true;
    this.taintQueue.push(node);
  }

  private markReady(node: NodeId, st: NodeStatus): void {
    st.ready = true;
    st.tainted = false;
    st.evicting = false;
    if (st.evictionTimer !== null) this.ctx.kernel.cancel(st.evictionTimer);
    st.evictionTimer = null;
    if (st.queued) {
      st.queued = false;
      this.taintQueue.splice(this.taintQueue.indexOf(node), 1);
    }
    this.reconcileEndpoints(st);
  }

  /** Takes a NotReady node's pods out of the endpoints (`drain-node`), or a Ready node's back (`undrain-node`). */
  private reconcileEndpoints(st: NodeStatus): void {
    if (st.reconciling) return;
    const drain = !st.ready;
    st.reconciling = true;
    this.effectors.execute({ kind: drain ? 'drain-node' : 'undrain-node', node: st.node }, (outcome) => {
      st.reconciling = false;
      if (outcome.ok) st.drained = drain;
    });
  }

  /**
   * Nodes per second that may be tainted, from the zone's health: the normal rate; in an unhealthy zone (at
   * least 3 and `unhealthyZoneThreshold` of its nodes NotReady) the secondary rate, or none in a small cluster;
   * none when every node is NotReady (the controller then suspects its own network, not the nodes).
   */
  private evictionRate(notReady: number): number {
    const s = this.settings;
    const total = this.status.size;
    if (notReady === total) return 0;
    if (notReady > 2 && notReady / total >= s.unhealthyZoneThreshold) {
      return total > s.largeClusterSizeThreshold ? s.secondaryEvictionRatePerSec : 0;
    }
    return s.evictionRatePerSec;
  }

  /** Taints queued nodes as a token bucket of one token allows; each taint starts the pods' toleration. */
  private taint(now: number, ratePerSec: number): void {
    while (this.taintQueue.length > 0 && ratePerSec > 0 && now >= this.nextTaintAtMs) {
      const node = this.taintQueue.shift();
      const st = node === undefined ? undefined : this.status.get(node);
      if (node === undefined || st === undefined) continue;
      st.queued = false;
      st.tainted = true;
      this.nextTaintAtMs = now + 1_000 / ratePerSec;
      st.evictionTimer = this.ctx.kernel.after(this.settings.tolerationMs, () => {
        st.evictionTimer = null;
        st.evicting = true;
        this.evict(node);
      });
    }
  }

  /** Evicts the Deployment pods still on a NotReady node; the ReplicaSet's new pods land on Ready nodes. */
  private evict(node: NodeId): void {
    for (const p of this.inventory.onNode(node)) {
      if (p.role !== 'none' || this.moving.has(p.replica)) continue;
      this.moving.add(p.replica);
      this.effectors.execute({ kind: 'move-replica', replica: p.replica }, () =>
        this.moving.delete(p.replica),
      );
    }
  }
}
