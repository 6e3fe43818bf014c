import type { FaultRecord } from '../../chaos/ground-truth.ts';
import type { ServiceId } from '../../cluster/ids.ts';
import type { OracleOps } from './oracle-ops.ts';

/**
 * The oracle's answer to a load spike, as data. It admits at most this share of the replicas' declared
 * capacity: just under saturation, so no backlog builds, no client times out and no retry is ever sent, which
 * is what keeps a spike from turning into a retry storm at all.
 */
export const SPIKE_ADMISSION = {
  /** Admitted load as a share of the capacity in rotation. */
  target: 0.95,
  /** How often, once the spike is over, it looks whether the backlog has drained before lifting the shedding. */
  pollMs: 1_000,
  /** A backlog at or below this many requests is drained. */
  drainedBacklog: 1,
} as const;

const A = SPIKE_ADMISSION;

/**
 * The share of requests to shed so that `offeredRps` fits in `target` x `capacityRps`; 0 when it already fits.
 * Rounded up to a hundredth, so the admitted load is never over the target.
 */
export const spikeShedFraction = (offeredRps: number, capacityRps: number): number => {
  if (!(offeredRps > 0) || offeredRps <= A.target * capacityRps) return 0;
  return Math.min(1, Math.ceil((1 - (A.target * capacityRps) / offeredRps) * 100 - 1e-9) / 100);
};

/**
 * The ideal response to a load spike, from ground truth: the instant it lands, each service it hits sheds
 * exactly the excess over its capacity (the spike's factor is known, so nothing waits for a scrape); once the
 * spike is over and the backlog has drained, the shedding is lifted. A spike that fits needs nothing.
 */
export const answerLoadSpike = (ops: OracleOps, record: FaultRecord): void => {
  const { sensors, kernel } = ops.ctx;
  const factor = typeof record.detail.factor === 'number' ? record.detail.factor : 1;
  const durationMs = typeof record.detail.durationMs === 'number' ? record.detail.durationMs : undefined;
  for (const component of record.components) {
    const service = component as ServiceId;
    ops.ctx.reportDetection({ component, diagnosis: record.kind });
    // The load before the spike, times the spike: what the clients will send from now on.
    const before = sensors.service(service)?.offeredRps ?? 0;
    const fraction = spikeShedFraction(before * factor, sensors.declaredCapacityRps(service));
    if (fraction <= 0) continue;
    ops.effectors.execute({ kind: 'shed-load', service, fraction });
    if (durationMs === undefined) continue;
    const lift = () => {
      const backlog = sensors.service(service)?.backlog ?? 0;
      if (backlog <= A.drainedBacklog) ops.effectors.execute({ kind: 'shed-load', service, fraction: 0 });
      else kernel.after(A.pollMs, lift);
    };
    kernel.at(Math.max(kernel.nowMs, record.injectedAtMs + durationMs), lift);
  }
};
