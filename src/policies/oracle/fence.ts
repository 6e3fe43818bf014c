import type { FaultRecord } from '../../chaos/ground-truth.ts';
import type { NodeId, ServiceId } from '../../cluster/ids.ts';
import type { ControllerContext, ControllerEffectors } from '../../world/controller.ts';
import type { Inventory } from '../inventory.ts';

/** How often the fence looks for faults that have ended, while any node is fenced. */
const SWEEP_MS = 1_000;

/**
 * What makes the oracle a bound by construction: it never places work on a node that ground truth knows to
 * be faulty. Every node a fault in effect holds is cordoned the instant the fault lands (so the scheduler's
 * own choices, for scale-outs, avoid it), and the oracle's own moves name their destination among the nodes
 * no fault holds. A node is uncordoned once no fault in effect holds it. Scale-outs wait for the cordons in
 * flight (one reconfiguration, 1 s by default); a move does not need to.
 */
export class Fence {
  private readonly open: FaultRecord[] = [];
  private readonly fenced = new Set<NodeId>();
  private pendingCordons = 0;
  private waiting: (() => void)[] = [];
  private sweeping = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly effectors: ControllerEffectors,
    private readonly inventory: Inventory,
    /** Called once a node no fault holds any more is uncordoned. */
    private readonly reopened: (node: NodeId) => void = () => {},
  ) {}

  /** Nodes a fault in effect holds, by ground truth. */
  faulty(): ReadonlySet<NodeId> {
    const out = new Set<NodeId>();
    for (const r of this.open) if (r.clearedAtMs === null) for (const n of r.targets) out.add(n);
    return out;
  }

  /** A fault has landed: cordon its nodes, at once. */
  landed(record: FaultRecord): void {
    this.open.push(record);
    for (const node of record.targets) {
      if (this.fenced.has(node)) continue;
      this.fenced.add(node);
      this.pendingCordons++;
      this.effectors.execute({ kind: 'cordon-node', node }, () => {
        this.pendingCordons--;
        if (this.pendingCordons === 0) this.release();
      });
    }
    this.sweep();
  }

  /** Runs `then` once every cordon in flight has landed (at once when none is). */
  whenFenced(then: () => void): void {
    if (this.pendingCordons === 0) then();
    else this.waiting.push(then);
  }

  /**
   * The node a replica of `service` should move to: the one no fault holds, up and reachable, with the fewest
   * replicas of the service and then the fewest overall (the scheduler's own order); undefined when none is.
   */
  destination(service: ServiceId, from: NodeId): NodeId | undefined {
    const faulty = this.faulty();
    const { sensors } = this.ctx;
    let best: { node: NodeId; same: number; total: number } | undefined;
    for (const node of sensors.nodeIds()) {
      if (node === from || faulty.has(node) || this.fenced.has(node) || !sensors.ping(node)) continue;
      const here = this.inventory.onNode(node);
      const same = here.filter((p) => p.service === service).length;
      const total = here.length;
      if (best === undefined || same < best.same || (same === best.same && total < best.total))
        best = { node, same, total };
    }
    return best?.node;
  }

  private release(): void {
    const ready = this.waiting;
    this.waiting = [];
    for (const then of ready) then();
  }

  /** Uncordons the nodes no fault in effect holds any more; looks again every second while any is fenced. */
  private sweep(): void {
    if (this.sweeping) return;
    this.sweeping = true;
    const look = () => {
      const faulty = this.faulty();
      for (const node of [...this.fenced]) {
        if (faulty.has(node)) continue;
        this.fenced.delete(node);
        this.effectors.execute({ kind: 'uncordon-node', node }, () => this.reopened(node));
      }
      for (let i = this.open.length - 1; i >= 0; i--)
        if (this.open[i]?.clearedAtMs !== null) this.open.splice(i, 1);
      if (this.fenced.size === 0) this.sweeping = false;
      else this.ctx.kernel.after(SWEEP_MS, look);
    };
    this.ctx.kernel.after(SWEEP_MS, look);
  }
}
