import type { SimKernel } from '../../sim/kernel.ts';
import type { Trace } from '../../sim/trace.ts';
import type { Heartbeats } from '../heartbeats/heartbeats.ts';
import { nodeIdOf } from '../ids.ts';
import { isOutOfMemory, type NodeEffect, nodeCondition } from '../node-resources.ts';
import type { ReplicaLifecycle } from '../replicas/replica-lifecycle.ts';
import type { NodeLifecycleField, Owned } from '../runtime/ownership.ts';
import type { NodeRuntime, ServiceRuntime } from '../runtime/records.ts';
import type { DownCause } from '../runtime/states.ts';
import type { ClusterSpec } from '../spec.ts';
import type { Traffic } from '../traffic/traffic.ts';

type LNode = Owned<NodeRuntime, NodeLifecycleField>;

/**
 * Machines: up, crashed or booting; their resource effects, limits and the condition derived from them;
 * cordons and drains. Owns every node field but the replica list, and the effect maps.
 */
export class NodeLifecycle {
  readonly nodes: NodeRuntime[] = [];
  private readonly effects: Map<string, NodeEffect>[] = [];

  constructor(
    private readonly spec: ClusterSpec,
    private readonly kernel: SimKernel,
    private readonly trace: Trace,
    private readonly heartbeats: Heartbeats,
    private readonly replicas: ReplicaLifecycle,
    private readonly traffic: Traffic,
    private readonly stateChanged: (node: NodeRuntime, nowMs: number) => void,
  ) {
    const limits = { memoryFactor: 1, diskFactor: 1 };
    for (let i = 0; i < spec.nodes.count; i++) {
      const effects = new Map<string, NodeEffect>();
      this.effects.push(effects);
      this.nodes.push({
        index: i,
        id: nodeIdOf(i + 1),
        state: 'up',
        stateSinceMs: 0,
        previousState: 'up',
        downCause: null,
        cordoned: false,
        drained: false,
        effects,
        limits,
        condition: nodeCondition(spec.nodes.baseMemoryUse, spec.nodes.baseDiskUse, [], limits, 0),
        conditionAtMs: 0,
        bandTimer: null,
        bootTimer: null,
        replicas: replicas.listForNode(i),
      });
    }
  }

  /** Takes a node down at once: its replicas stop, its heartbeats stop. A node already down stays down. */
  crash(node: NodeRuntime, cause: DownCause): void {
    const n: LNode = node;
    if (n.state === 'crashed') return;
    if (n.bootTimer !== null) this.kernel.cancel(n.bootTimer);
    n.bootTimer = null;
    n.downCause = cause;
    this.setState(n, 'crashed');
  }

  /**
   * Starts booting a node (a power cycle). After `bootMs` it is up and `onUp` runs, or, when `fails`,
   * it is down again (a boot that hangs).
   */
  boot(node: NodeRuntime, bootMs: number, onUp: () => void, fails = false): void {
    const n: LNode = node;
    if (n.state !== 'crashed') n.downCause = 'restart';
    if (n.bootTimer !== null) this.kernel.cancel(n.bootTimer);
    this.setState(n, 'booting');
    n.bootTimer = this.kernel.after(bootMs, () => {
      n.bootTimer = null;
      if (n.state !== 'booting') return;
      if (fails) {
        n.downCause = 'restart';
        this.setState(n, 'crashed');
        return;
      }
      n.downCause = null;
      this.setState(n, 'up');
      onUp();
    });
  }

  /** Applies or replaces a resource effect on a node. */
  setEffect(node: NodeRuntime, id: string, effect: NodeEffect): void {
    this.effects[node.index]?.set(id, effect);
    this.refreshCondition(node);
  }

  /** Removes a resource effect; returns whether it was present. */
  removeEffect(node: NodeRuntime, id: string): boolean {
    const had = this.effects[node.index]?.delete(id) ?? false;
    if (had) this.refreshCondition(node);
    return had;
  }

  /** Grows a node's memory or disk by the configured factor (a resized VM or volume). */
  raiseLimit(node: NodeRuntime, resource: 'memory' | 'disk'): void {
    const n: LNode = node;
    const f = this.spec.effectors.limitRaiseFactor;
    n.limits =
      resource === 'memory'
        ? { ...n.limits, memoryFactor: n.limits.memoryFactor * f }
        : { ...n.limits, diskFactor: n.limits.diskFactor * f };
    this.refreshCondition(n);
  }

  setCordoned(node: NodeRuntime, cordoned: boolean): void {
    const n: LNode = node;
    n.cordoned = cordoned;
    this.trace.record({
      t: this.kernel.nowMs,
      kind: cordoned ? 'node.cordoned' : 'node.uncordoned',
      source: n.id,
    });
  }

  /** Takes a node's replicas out of the load balancer's rotation at once, or puts them back. */
  setDrained(node: NodeRuntime, drained: boolean): void {
    const n: LNode = node;
    n.drained = drained;
    this.trace.record({
      t: this.kernel.nowMs,
      kind: drained ? 'node.drained' : 'node.undrained',
      source: n.id,
    });
    this.touch(n);
  }

  /** Recomputes every service with a replica on the node (consecutive duplicates skipped). */
  touch(node: NodeRuntime): void {
    let last: ServiceRuntime | null = null;
    for (const r of node.replicas) {
      if (r.service !== last) this.traffic.recompute(r.service);
      last = r.service;
    }
  }

  private setState(n: LNode, state: NodeRuntime['state']): void {
    if (n.state === state) return;
    const now = this.kernel.nowMs;
    for (const r of n.replicas) this.traffic.fold(r.service);
    n.previousState = n.state;
    n.state = state;
    n.stateSinceMs = now;
    this.trace.record({ t: now, kind: `node.${state}`, source: n.id, cause: n.downCause });
    if (state === 'up') this.replicas.nodeUp(n, this.spec.effectors.replicaStartMs);
    else this.replicas.nodeDown(n);
    this.heartbeats.refresh(n);
    this.stateChanged(n, now);
    // Listeners may clear effects a reboot wipes (the chaos injector does), so the condition comes last.
    this.refreshCondition(n);
  }

  private refreshCondition(node: NodeRuntime): void {
    const n: LNode = node;
    const now = this.kernel.nowMs;
    for (const r of n.replicas) this.traffic.fold(r.service);
    n.condition = nodeCondition(
      this.spec.nodes.baseMemoryUse,
      this.spec.nodes.baseDiskUse,
      n.effects.values(),
      n.limits,
      now,
    );
    n.conditionAtMs = now;
    if (n.bandTimer !== null) this.kernel.cancel(n.bandTimer);
    n.bandTimer = null;
    if (n.state === 'up' && isOutOfMemory(n.condition.memoryUse)) {
      this.trace.record({ t: now, kind: 'node.oom', source: n.id });
      this.crash(n, 'oom');
      return;
    }
    if (n.state === 'up' && Number.isFinite(n.condition.nextBandAtMs)) {
      n.bandTimer = this.kernel.at(n.condition.nextBandAtMs, () => {
        n.bandTimer = null;
        this.refreshCondition(n);
      });
    }
    // A starved node sends its heartbeats late: the CPU hog and slow-downs stretch their delay.
    this.heartbeats.setDelay(
      n,
      Math.round(
        this.spec.sensors.heartbeatDelayMs * (1 + 10 * n.condition.cpuHog) * n.condition.latencyFactor,
      ),
    );
    this.touch(n);
  }
}
