import type { FaultRecord } from '../../chaos/ground-truth.ts';
import type { ServiceId } from '../../cluster/ids.ts';
import type { OracleOps } from './oracle-ops.ts';

const detailString = (record: FaultRecord, key: string): string | undefined => {
  const v = record.detail[key];
  return typeof v === 'string' ? v : undefined;
};

/**
 * The ideal answer to a dependency failure, from ground truth: the edge is known the instant the fault lands.
 * Where the call has a fallback, the caller's circuit to the callee opens at once (its fallback answers,
 * degraded and fast, with no worker held on a failing call) and closes the instant the fault ends, with no
 * probe. Without a fallback nothing helps: an open circuit fails every request at once, no better than the
 * failing calls, and no restart, move or scale cures a route between two healthy services; it waits.
 */
export const answerDependencyFailure = (ops: OracleOps, record: FaultRecord): void => {
  const { sensors, kernel } = ops.ctx;
  const from = detailString(record, 'from') as ServiceId | undefined;
  const to = detailString(record, 'to') as ServiceId | undefined;
  if (from === undefined || to === undefined) return;
  ops.ctx.reportDetection({ component: `${from}->${to}`, diagnosis: record.kind });
  const call = sensors.calls(from).find((c) => c.service === to);
  if (call?.fallback !== true) return;
  ops.effectors.execute({ kind: 'open-circuit', service: from, callee: to });
  const durationMs = typeof record.detail.durationMs === 'number' ? record.detail.durationMs : undefined;
  if (durationMs === undefined) return;
  kernel.at(Math.max(kernel.nowMs, record.injectedAtMs + durationMs), () =>
    ops.effectors.execute({ kind: 'close-circuit', service: from, callee: to }),
  );
};
