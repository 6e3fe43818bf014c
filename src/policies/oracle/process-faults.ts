import type { FaultRecord } from '../../chaos/ground-truth.ts';
import type { FaultKind } from '../../chaos/spec.ts';
import type { ReplicaId, ServiceId } from '../../cluster/ids.ts';
import type { ContainerStatus } from '../../cluster/sensors.ts';
import type { OracleOps } from './oracle-ops.ts';

type ProcessKind = 'process-hang' | 'crash-loop' | 'bad-deploy' | 'process-memory-leak';

/** The replicas a process fault landed in, as the containers' statuses show them (ground truth names them). */
const hit = (ops: OracleOps, record: FaultRecord): ContainerStatus[] =>
  record.components.flatMap((c) => ops.ctx.sensors.container(c as ReplicaId) ?? []);

/**
 * Replaces replicas with fresh ones elsewhere; a primary is promoted away first (to a replica off its node),
 * then moved once deposed.
 */
const replace = (ops: OracleOps, replicas: readonly ContainerStatus[], surge: boolean): void => {
  for (const r of replicas) {
    const move = () =>
      ops.effectors.execute({ kind: 'move-replica', replica: r.replica, ...(surge ? { surge } : {}) });
    if (ops.ctx.sensors.primaryOf(r.service) !== r.replica) move();
    else ops.effectors.execute({ kind: 'promote-replica', service: r.service, avoidNodes: [r.node] }, move);
  }
};

const rollBack = (ops: OracleOps, replicas: readonly ContainerStatus[]): void => {
  for (const service of new Set<ServiceId>(replicas.map((r) => r.service)))
    ops.effectors.execute({ kind: 'rollback', service });
};

/**
 * The oracle's best action per process fault, the instant it lands (it reads which replicas the fault hit and
 * whether it shipped a new version): restart a hung replica in place; roll back a bad deploy, and a crash-loop
 * or leak that came with a new version; replace a crash-looping replica with a local cause (a new replica is a
 * fresh process); move a leaking one make-before-break, so that a fresh process takes over before the OOM kill
 * and no request is lost to it. The node is healthy throughout: nothing is cordoned.
 */
const PROCESS_PLANS: { readonly [K in ProcessKind]: (ops: OracleOps, record: FaultRecord) => void } = {
  'process-hang': (ops, record) => {
    for (const r of hit(ops, record)) ops.effectors.execute({ kind: 'restart-replica', replica: r.replica });
  },
  'crash-loop': (ops, record) => {
    const replicas = hit(ops, record);
    if (record.detail.newVersion === true) rollBack(ops, replicas);
    else replace(ops, replicas, false);
  },
  'bad-deploy': (ops, record) => rollBack(ops, hit(ops, record)),
  'process-memory-leak': (ops, record) => {
    const replicas = hit(ops, record);
    if (record.detail.newVersion === true) rollBack(ops, replicas);
    else replace(ops, replicas, true);
  },
};

/** Whether a fault kind lands inside processes (the oracle answers those per replica, not per node). */
export const isProcessKind = (kind: FaultKind): kind is ProcessKind => kind in PROCESS_PLANS;

/** Answers a process fault: reports each replica it hit as detected, then runs its kind's plan. */
export const answerProcessFault = (ops: OracleOps, record: FaultRecord): void => {
  if (!isProcessKind(record.kind)) return;
  for (const r of hit(ops, record)) ops.ctx.reportDetection({ component: r.replica, diagnosis: record.kind });
  PROCESS_PLANS[record.kind](ops, record);
};
