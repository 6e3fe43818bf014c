import type { FaultRecord } from '../chaos/ground-truth.ts';
import type { ActionKind } from '../cluster/actions.ts';
import type { ActionRecord } from '../cluster/effectors.ts';
import type { NodeId } from '../cluster/ids.ts';

/** How the no-flapping property judges a run. */
export interface FlappingOptions {
  /**
   * How long after a fault clears its nodes still count as implicated (default 60 s): the controller sees
   * the world through sensors that lag (a scrape interval, a health check, the verification delay), and its
   * last steps (moving a deposed primary back, re-admitting a rebooted node) come after ground truth is
   * already whole again.
   */
  readonly graceMs?: number;
  /** Unprovoked actions a run may take before the property fails (default 0). */
  readonly tolerance?: number;
}

/** The defaults of {@link FlappingOptions}. */
export const FLAPPING_DEFAULTS = { graceMs: 60_000, tolerance: 0 } as const;

/** An action the controller took on a node that ground truth showed healthy and reachable. */
export interface UnprovokedAction {
  readonly action: ActionRecord;
  readonly node: NodeId;
}

/**
 * Actions that restore what an earlier action changed (uncordon, undrain) give a node back rather than act
 * against it: they are never unprovoked.
 */
const RESTORING: ReadonlySet<ActionKind> = new Set<ActionKind>(['undrain-node', 'uncordon-node']);

/** Whether a fault implicates `node` at `t`: it names the node and is in effect, or cleared within the grace. */
const implicates = (f: FaultRecord, node: NodeId, t: number, graceMs: number): boolean =>
  f.targets.includes(node) && f.injectedAtMs <= t && (f.clearedAtMs === null || t <= f.clearedAtMs + graceMs);

/**
 * The no-flapping judgement, from ground truth only (the action ledger and the fault records).
 *
 * An action is *unprovoked* on a node when, at the instant the controller dispatched it (`startedAtMs`),
 * no fault implicated that node: no fault record lists the node among its targets with
 * `injectedAtMs <= startedAtMs <= clearedAtMs + graceMs` (a fault not yet cleared implicates its nodes to
 * the end of the run). The nodes an action acts on are the ledger's {@link ActionRecord.nodes}: the node it
 * names, the node of the replica it names, or the node of the primary a promotion deposes. Service-wide
 * actions (scaling, shedding load) name no node and are never unprovoked; neither are undrain and uncordon,
 * which give a node back. Failed actions count: the controller still decided to act.
 *
 * Damage that spreads beyond a fault's targets (survivors overloaded after a crash) does not implicate the
 * survivors: acting on them is acting on a healthy node, which is what the property is there to catch.
 */
export const unprovokedActions = (
  outcome: { readonly faults: readonly FaultRecord[]; readonly actions: readonly ActionRecord[] },
  options: FlappingOptions = {},
): UnprovokedAction[] => {
  const graceMs = options.graceMs ?? FLAPPING_DEFAULTS.graceMs;
  const out: UnprovokedAction[] = [];
  for (const action of outcome.actions) {
    if (RESTORING.has(action.request.kind)) continue;
    for (const node of action.nodes) {
      if (!outcome.faults.some((f) => implicates(f, node, action.startedAtMs, graceMs))) {
        out.push({ action, node });
      }
    }
  }
  return out;
};
