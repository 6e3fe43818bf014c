import type { FaultRecord } from '../chaos/ground-truth.ts';
import type { ActionRecord } from '../cluster/effectors.ts';

/** Damage a fault can leave behind after the service level has come back (or without ever denting it). */
export type LastingDamage = 'node-down' | 'replica-lost' | 'writes-lost';

/**
 * Ground truth at the end of the run, as the measures need it to see lasting damage. Plain data: the world
 * fills it from the cluster (`worldOutcome`), tests write it by hand.
 */
export interface EndState {
  /** Nodes crashed at the end (a node still booting is coming back, and not counted). */
  readonly downNodes: ReadonlySet<string>;
  /**
   * Replicas no longer serving at the end (deleted, dead, or cut off from the control plane) of services that
   * end with fewer live replicas than they were declared with: redundancy the run lost and nobody restored.
   */
  readonly lostReplicas: ReadonlySet<string>;
  /** Services that lost acknowledged writes in a failover during the run. */
  readonly writeLossServices: ReadonlySet<string>;
}

/** An end state with nothing damaged, for callers that have none to give. */
export const UNDAMAGED: EndState = {
  downNodes: new Set(),
  lostReplicas: new Set(),
  writeLossServices: new Set(),
};

/**
 * Which lasting damage each fault left, charged to the most recent fault that could have caused it, so one
 * node down at the end does not count against every fault that ever hit it. A fault whose own duration runs
 * past the end is still in effect there, and leaves no node or replica damage behind (yet):
 * - `node-down`: a target node is not up at the end, and no later fault targeted it;
 * - `replica-lost`: a replica on its targets when it landed is not serving at the end, its service is short,
 *   and no later fault held that replica;
 * - `writes-lost`: a service on its targets lost acknowledged writes, and a promotion of that service is one
 *   of the fault's own actions (the cluster counts lost writes per service; the promotion that lost them is
 *   the failover this fault caused).
 */
export const lastingDamage = (
  faults: readonly FaultRecord[],
  end: EndState,
  actionsOf: (f: FaultRecord) => readonly ActionRecord[],
  endMs: number,
): Map<FaultRecord, LastingDamage[]> => {
  const lastHit = new Map<string, FaultRecord>();
  for (const f of faults) {
    for (const n of f.targets) lastHit.set(`node:${n}`, f);
    for (const c of f.components) lastHit.set(`component:${c}`, f);
  }
  const out = new Map<FaultRecord, LastingDamage[]>();
  for (const f of faults) {
    const damage: LastingDamage[] = [];
    out.set(f, damage);
    const left = outlived(f, endMs);
    if (left && f.targets.some((n) => end.downNodes.has(n) && lastHit.get(`node:${n}`) === f))
      damage.push('node-down');
    if (left && f.components.some((c) => end.lostReplicas.has(c) && lastHit.get(`component:${c}`) === f))
      damage.push('replica-lost');
    if (promotedWithLoss(f, end, actionsOf)) damage.push('writes-lost');
  }
  return out;
};

/**
 * Whether a fault's own life ended within the run: without a duration it lasts until repaired, so whatever
 * it left at the end is left behind; with one that ends after the run, what the run ended on is the fault
 * still in effect (a machine due to reboot by itself), not damage it left.
 */
const outlived = (f: FaultRecord, endMs: number): boolean => {
  const d = f.detail.durationMs;
  return typeof d !== 'number' || f.injectedAtMs + d <= endMs;
};

const promotedWithLoss = (
  f: FaultRecord,
  end: EndState,
  actionsOf: (f: FaultRecord) => readonly ActionRecord[],
): boolean => {
  const lostIn = f.components.filter((c) => end.writeLossServices.has(c));
  return actionsOf(f).some(
    (a) => a.request.kind === 'promote-replica' && a.ok === true && lostIn.includes(a.request.service),
  );
};
