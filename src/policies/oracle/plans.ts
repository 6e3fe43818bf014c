import type { FaultRecord } from '../../chaos/ground-truth.ts';
import type { FaultKind } from '../../chaos/spec.ts';
import type { NodeId, ServiceId } from '../../cluster/ids.ts';
import { countsOn, evacuateGracefully, evacuateNow, promoteAway } from './evacuation.ts';
import { type OracleOps, rotationOf } from './oracle-ops.ts';
import { rebalanceOnto } from './rebalance.ts';

/**
 * Memory use at which the model's first pressure band starts (docs/architecture.md: capacity x0.8, latency
 * x1.5); below it a leak does no harm yet. A policy may not import the cluster's internals, so it is restated.
 */
const PRESSURE_BAND = 0.85;

/** A leak reaching the band sooner than this leaves a graceful evacuation (about 14 s) no time without help. */
const GRACEFUL_LEAD_MS = 20_000;

const num = (record: FaultRecord, key: string): number | undefined => {
  const v = record.detail[key];
  return typeof v === 'number' ? v : undefined;
};

/** Runs `fn` when the fault's own duration ends, if it has one. */
const atFaultEnd = (ops: OracleOps, record: FaultRecord, fn: () => void): void => {
  const d = num(record, 'durationMs');
  // A graceful evacuation can outlast a short fault: then its end is now.
  if (d !== undefined) ops.ctx.kernel.at(Math.max(ops.ctx.kernel.nowMs, record.injectedAtMs + d), fn);
};

/**
 * Power-cycles a node, once: a node already rebooting is coming back, and a second reboot would only start
 * its boot over (under a storm of faults every new one landed on a node the oracle was rebooting).
 */
const restartNode = (ops: OracleOps, node: NodeId, then?: () => void, wanted = () => true): void => {
  if (ops.rebooting.has(node)) {
    then?.();
    return;
  }
  ops.rebooting.add(node);
  ops.effectors.executeWhile({ kind: 'restart-node', node }, wanted, () => {
    ops.rebooting.delete(node);
    then?.();
  });
};

/**
 * Reboots a node to wipe what `record` left on it, unless the fault has ended meanwhile: a reboot then wipes
 * nothing and kills whatever runs there, the oracle's own new replicas included. Under a storm of short faults
 * the unconditional reboot took a cluster the faults barely touched down to 2.5 % availability (issue 12).
 * A failed reboot is still retried once the fault is over: the failure left the machine down.
 */
const wipeIfStillFaulty = (ops: OracleOps, record: FaultRecord, node: NodeId, then?: () => void): void => {
  if (record.clearedAtMs !== null) {
    then?.();
    return;
  }
  // A reboot that fails leaves the machine down: it is sent again while the fault holds or the node is down.
  restartNode(ops, node, then, () => record.clearedAtMs === null || !ops.ctx.sensors.ping(node));
};

/**
 * After a graceful evacuation before a reboot: reboot the node, shed the extra replicas, reopen the node and
 * give it back its share of replicas (the scale-in deleted its own, which the reboot had stopped).
 */
const rebootEvacuated = (
  ops: OracleOps,
  record: FaultRecord,
  node: NodeId,
  counts: ReadonlyMap<ServiceId, number>,
): void => {
  wipeIfStillFaulty(ops, record, node, () => {
    ops.effectors.execute({ kind: 'uncordon-node', node });
    ops.effectors.execute({ kind: 'undrain-node', node });
    rebalanceOnto(ops, node);
  });
  // Dispatched while the reboot has the node's replicas stopped: scale-in deletes dead replicas first.
  for (const [service, count] of counts) {
    ops.effectors.execute({ kind: 'scale-in', service, count });
  }
};

type Plan = (ops: OracleOps, record: FaultRecord, node: NodeId) => void;

/**
 * Memory: a pressure already felt, or about to be (sooner than a graceful evacuation takes), is relieved at once
 * by a bigger limit; a leak is then evacuated make-before-break and wiped by a reboot.
 */
const memoryPlan: Plan = (ops, record, node) => {
  const { sensors } = ops.ctx;
  const factor = sensors.limits(node)?.memoryFactor ?? 1;
  const use = Math.max(sensors.node(node)?.memory ?? 0, (num(record, 'level') ?? 0) / factor);
  const leakPerMs = (num(record, 'leakPerMinute') ?? 0) / 60_000 / factor;
  const leadMs = leakPerMs > 0 ? (PRESSURE_BAND - use) / leakPerMs : Number.POSITIVE_INFINITY;
  if (use >= PRESSURE_BAND || leadMs < GRACEFUL_LEAD_MS) {
    ops.effectors.execute({ kind: 'raise-limit', node, resource: 'memory' });
  }
  if (leakPerMs <= 0) return;
  const counts = countsOn(ops, node);
  evacuateGracefully(ops, node, () => rebootEvacuated(ops, record, node, counts));
};

/** Share of a service's capacity in rotation its load may take once a node is drained: no queue builds. */
const DRAIN_HEADROOM = 0.95;

/** Whether every service with replicas on `node` keeps the capacity for its load without them. */
const othersCarryTheLoad = (ops: OracleOps, node: NodeId): boolean => {
  for (const service of new Set(ops.inventory.onNode(node).map((p) => p.service))) {
    const { replicas, perReplicaRps } = rotationOf(ops, service);
    if (replicas.length === 0) return false;
    const left = replicas.filter((p) => p.node !== node).length * perReplicaRps;
    if ((ops.ctx.sensors.service(service)?.offeredRps ?? 0) > DRAIN_HEADROOM * left) return false;
  }
  return true;
};

/** The best action per resource: a full disk grows in place; a CPU hog is left behind and wiped by a reboot. */
const RESOURCE_PLANS: Readonly<Record<string, Plan>> = {
  // The node's replicas fail every request until the disk grows (raise-limit, 5 s) while their health checks
  // pass. Where the other replicas can carry the load, the node is also drained at once (a reconfiguration,
  // 1 s) and undrained once the disk grew: growing it in place alone left 5 s of failed requests where a policy
  // that had moved the node's replicas away met none (property seed 1). Without that headroom a drain would
  // only queue the load on the others, so the disk grows in place alone.
  disk: (ops, _record, node) => {
    const drain = othersCarryTheLoad(ops, node);
    if (drain) ops.effectors.execute({ kind: 'drain-node', node });
    ops.effectors.execute({ kind: 'raise-limit', node, resource: 'disk' }, () => {
      if (drain) ops.effectors.execute({ kind: 'undrain-node', node });
    });
  },

  cpu: (ops, record, node) => evacuateNow(ops, node, () => wipeIfStillFaulty(ops, record, node)),
  memory: memoryPlan,
};

/**
 * The oracle's best action per fault kind, applied to each target node the instant the fault lands. Each row
 * is the fastest fix the model's action durations allow; see docs/policies.md.
 */
export const ORACLE_PLANS: { readonly [K in FaultKind]: Plan } = {
  // Its replicas are gone: move them (promote first) and power the machine back on for later faults.
  'node-crash': (ops, _record, node) => {
    evacuateNow(ops, node);
    restartNode(ops, node);
  },
  // Cut off from the control plane: move its replicas to the control plane's side. Cut off only from peers:
  // it still serves, but a primary there may have lost its replicas, so hand the role to a connected one.
  'network-partition': (ops, _record, node) => {
    if (!ops.ctx.sensors.ping(node)) {
      evacuateNow(ops, node);
      return;
    }
    promoteAway(ops, node);
  },
  'resource-exhaustion': (ops, record, node) => {
    // Exhausted to death (an instant OOM): as a crash. Down because the oracle reboots it: the reboot in
    // flight is the crash plan already.
    if (ops.rebooting.has(node)) return;
    if (!ops.ctx.sensors.ping(node)) {
      ORACLE_PLANS['node-crash'](ops, record, node);
      return;
    }
    const resource = record.detail.resource;
    const plan = typeof resource === 'string' ? RESOURCE_PLANS[resource] : undefined;
    plan?.(ops, record, node);
  },
  // A node that lost capacity hurts now: its replicas are moved at once, the fastest way back (moving a replica
  // drops its remaining capacity for the start time, but a replacement elsewhere is needed either way). A node
  // that is only slower may not hurt at all: it is evacuated make-before-break, so the oracle itself never
  // causes a dip. Either way the node stays out of rotation and placement until the fault ends.
  'performance-degradation': (ops, record, node) => {
    if ((num(record, 'capacityFactor') ?? 1) < 1) {
      ops.effectors.execute({ kind: 'drain-node', node });
      evacuateNow(ops, node);
      atFaultEnd(ops, record, () => ops.effectors.execute({ kind: 'undrain-node', node }));
      return;
    }
    const counts = countsOn(ops, node);
    evacuateGracefully(ops, node, () =>
      atFaultEnd(ops, record, () => {
        ops.effectors.execute({ kind: 'undrain-node', node });
        ops.effectors.execute({ kind: 'uncordon-node', node });
        for (const [service, count] of counts) ops.effectors.execute({ kind: 'scale-in', service, count });
      }),
    );
  },
  // A load spike targets no node, so this row is never called: the fault is in the traffic, and no node action
  // undoes it (scaling out for a spike is the traffic model's business, issue 13).
  'load-spike': () => {},
  // Process faults are answered per replica (process-faults.ts), never per node: these rows are never called.
  'process-hang': () => {},
  'crash-loop': () => {},
  'bad-deploy': () => {},
  'process-memory-leak': () => {},
  // Holds no node either: the oracle answers it from the record (src/policies/oracle/dependency.ts).
  'dependency-failure': () => {},
};
