import { err, ok, type Result } from '../base/result.ts';
import type { SimKernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { Trace } from '../sim/trace.ts';
import { type ActionFailure, type ActionOutcome, type ActionRequest, describeAction } from './actions.ts';
import type { Cluster } from './cluster.ts';
import { applyEffects } from './effects/apply.ts';
import type { ClusterView } from './effects/cluster-view.ts';
import type { ActionPlan, PlannedEffect } from './effects/planned-effect.ts';
import { resolveAction } from './effects/resolve.ts';
import { settle } from './effects/settle.ts';
import type { NodeId } from './ids.ts';

/** One action as the ground-truth ledger keeps it, with its cost and who asked for it. */
export interface ActionRecord {
  readonly id: number;
  readonly by: string;
  readonly request: ActionRequest;
  /**
   * Nodes whose workload the action disturbs, resolved at dispatch: the node it names, the node of the
   * replica it names, or, for a promotion, the node of the primary it deposes. Empty for service-wide actions
   * (scaling, shedding load). Ground truth for properties such as no-flapping.
   */
  readonly nodes: readonly NodeId[];
  /** What the request resolved to at dispatch; absent when it was refused at once (see `failure`). */
  readonly plan?: ActionPlan;
  /** The effects applied at completion; absent until then. */
  settledEffects?: readonly PlannedEffect[];
  readonly cost: number;
  readonly startedAtMs: number;
  finishedAtMs: number | null;
  ok: boolean | null;
  failure: ActionFailure | null;
}

/**
 * Everything a controller may do to the cluster. Each action takes sim time, may fail with the configured
 * probability (drawn from the `effectors` stream at dispatch), and carries a cost. A request is resolved
 * against a read-only view of the cluster into a plan (src/cluster/effects/), whose effects are applied at
 * dispatch and at completion. Outcomes arrive by callback at completion time, on the kernel: never through a
 * promise, which would settle outside sim time.
 */
export class Effectors {
  private nextId = 1;
  /** Every action ever dispatched, in order: ground truth for reports, never read by controllers. */
  readonly ledger: ActionRecord[] = [];

  constructor(
    readonly cluster: Cluster,
    private readonly kernel: SimKernel,
    /** The failure draws of one action on one object (see {@link failureStreamKey}). */
    private readonly failureStream: (key: string) => RandomStream,
    private readonly trace: Trace,
  ) {}

  /**
   * Starts an action and returns its id. `onDone` receives the outcome when the action completes (or, for a
   * request refused at once, after zero sim time: always asynchronously, so callers see one ordering).
   */
  execute(
    request: ActionRequest,
    onDone: (outcome: ActionOutcome) => void = () => {},
    by = 'controller',
  ): number {
    const id = this.nextId++;
    const startedAtMs = this.kernel.nowMs;
    const fails = this.failureStream(failureStreamKey(request)).chance(
      this.cluster.spec.effectors.failureProbability,
    );
    // Resolved before the plan is: a move or a promotion changes where things are.
    const nodes = nodesTouched(request, this.cluster);
    const planned = resolveAction(request, this.cluster, fails);
    if (planned.ok) applyEffects(this.cluster, planned.value.now);
    const record: ActionRecord = {
      id,
      by,
      request,
      nodes,
      ...(planned.ok ? { plan: planned.value } : {}),
      cost: planned.ok ? planned.value.cost : 0,
      startedAtMs,
      finishedAtMs: null,
      ok: null,
      failure: null,
    };
    this.ledger.push(record);
    this.trace.record({
      t: startedAtMs,
      kind: 'action.started',
      source: by,
      id,
      action: describeAction(request),
    });
    const complete = (result: Result<number, ActionFailure>) => {
      const finishedAtMs = this.kernel.nowMs;
      record.finishedAtMs = finishedAtMs;
      record.ok = result.ok;
      record.failure = result.ok ? null : result.error;
      this.trace.record({
        t: finishedAtMs,
        kind: result.ok ? 'action.succeeded' : 'action.failed',
        source: by,
        id,
        ...(result.ok ? {} : { failure: result.error.kind }),
      });
      onDone(
        result.ok
          ? { ok: true, id, request, startedAtMs, finishedAtMs, lostWrites: result.value }
          : { ok: false, id, request, startedAtMs, finishedAtMs, failure: result.error },
      );
    };
    if (!planned.ok) {
      this.kernel.after(0, () => complete(err(planned.error)));
    } else {
      const plan = planned.value;
      this.kernel.after(plan.durationMs, () => {
        const settled = settle(plan.completion, this.cluster, !fails);
        record.settledEffects = settled.effects;
        const lost = applyEffects(this.cluster, settled.effects);
        complete(settled.result.ok ? ok(lost) : settled.result);
      });
    }
    return id;
  }
}

/** See {@link ActionRecord.nodes}. A request naming something that does not exist touches nothing. */
/**
 * Which stream an action's failure is drawn from: one per action kind and object, so the n-th restart of
 * node-3 fails or not on a seed whatever else was dispatched before it. Policies compared on one seed then
 * meet the same luck for the same action (common random numbers, the standard variance reduction for
 * comparing alternatives in simulation: Law, Simulation Modeling and Analysis, ch. 11); one shared stream
 * made an extra cordon shift every later draw, and a baseline's p95 turned on luck.
 */
export const failureStreamKey = (req: ActionRequest): string => {
  const subject =
    'node' in req ? req.node : 'replica' in req ? req.replica : 'service' in req ? req.service : '';
  return `${req.kind}:${subject}`;
};

const nodesTouched = (req: ActionRequest, view: ClusterView): NodeId[] => {
  if ('node' in req) return view.node(req.node) === undefined ? [] : [req.node];
  if (req.kind === 'promote-replica') {
    const primary = view.service(req.service)?.primary;
    return primary === null || primary === undefined ? [] : [primary.node.id];
  }
  if ('replica' in req) {
    const replica = view.replica(req.replica);
    return replica === undefined ? [] : [replica.node.id];
  }
  return [];
};
