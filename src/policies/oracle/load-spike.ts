import type { FaultRecord } from '../../chaos/ground-truth.ts';
import type { ServiceId } from '../../cluster/ids.ts';
import { DEFAULT_RETRY_BUDGET } from '../../cluster/queueing/retry-policy.ts';
import { type OracleOps, rotationOf, whenInRotation } from './oracle-ops.ts';

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
  /** Longest it waits for its extra replicas to join the rotation before it keeps shedding as it is. */
  rotationWaitMs: 30_000,
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
 * exactly the excess over its capacity (the spike's factor is known, so nothing waits for a scrape) and scales
 * out to the replicas the spiked load needs, where the nodes have room; once those are in rotation the
 * shedding is cut to what still does not fit (none, usually). Once the spike is over and the backlog has
 * drained, the shedding is lifted and the extra replicas go. A spike that fits needs nothing. Shedding alone
 * loses every shed request for the whole spike: on overload-queueing the loop, which scales out, recovered
 * in 45.8 s where a shedding-only oracle took the spike's 90 s.
 */
export const answerLoadSpike = (ops: OracleOps, record: FaultRecord): void => {
  const { sensors, kernel } = ops.ctx;
  const factor = typeof record.detail.factor === 'number' ? record.detail.factor : 1;
  const durationMs = typeof record.detail.durationMs === 'number' ? record.detail.durationMs : undefined;
  const endsAtMs = durationMs === undefined ? Number.POSITIVE_INFINITY : record.injectedAtMs + durationMs;
  for (const component of record.components) {
    const service = component as ServiceId;
    ops.ctx.reportDetection({ component, diagnosis: record.kind });
    // The load before the spike, times the spike, plus the retries the budget below still lets through: what
    // the clients may send from now on. Sized without those retries, the shedding let a storm that tipped
    // before it landed keep its backlog through the spike (metastable-retry-storm seeds 7 and 27: 76 s).
    const spiked = (sensors.service(service)?.offeredRps ?? 0) * factor * (1 + DEFAULT_RETRY_BUDGET.ratio);
    const declared = sensors.declaredCapacityRps(service);
    const fraction = spikeShedFraction(spiked, declared);
    if (fraction <= 0) continue;
    ops.effectors.execute({ kind: 'shed-load', service, fraction });
    // The shedding lands one reconfiguration later: time enough, on some seeds, for the first timeouts and
    // retries to tip the spike into a storm that shedding the spike's excess cannot end (metastable-retry-storm
    // seeds 7 and 27 never recovered). A retry budget refuses no user and bounds the amplification, so it
    // goes on at once too, and comes off with the shedding.
    ops.effectors.execute({ kind: 'set-retry-budget', service, budget: DEFAULT_RETRY_BUDGET });
    const added = { count: 0 };
    scaleOutFor(ops, service, spiked, endsAtMs, added);
    if (durationMs === undefined) continue;
    const lift = () => {
      const backlog = sensors.service(service)?.backlog ?? 0;
      if (backlog > A.drainedBacklog) {
        kernel.after(A.pollMs, lift);
        return;
      }
      ops.effectors.execute({ kind: 'shed-load', service, fraction: 0 });
      ops.effectors.execute({ kind: 'set-retry-budget', service, budget: null });
      if (added.count > 0) ops.effectors.execute({ kind: 'scale-in', service, count: added.count });
    };
    kernel.at(Math.max(kernel.nowMs, endsAtMs), lift);
  }
};

/**
 * Adds the replicas `spiked` needs at the admission target, and once they are in rotation sheds only what
 * still does not fit. A scale-out the nodes have no room for leaves the shedding as it is.
 */
const scaleOutFor = (
  ops: OracleOps,
  service: ServiceId,
  spiked: number,
  endsAtMs: number,
  added: { count: number },
): void => {
  const { sensors, kernel } = ops.ctx;
  const { replicas, perReplicaRps } = rotationOf(ops, service);
  if (replicas.length === 0) return;
  const extra = Math.ceil(spiked / (A.target * perReplicaRps) - 1e-9) - replicas.length;
  if (extra <= 0) return;
  const before = new Set(ops.inventory.all.map((p) => p.replica));
  ops.fence.whenFenced(() =>
    ops.effectors.execute({ kind: 'scale-out', service, count: extra }, (outcome) => {
      if (!outcome.ok) return;
      const fresh = new Set<string>();
      for (const p of ops.inventory.all)
        if (p.service === service && !before.has(p.replica)) fresh.add(p.replica);
      added.count = fresh.size;
      whenInRotation(ops, fresh, A.rotationWaitMs, () => {
        if (kernel.nowMs >= endsAtMs) return;
        const left = spikeShedFraction(spiked, sensors.declaredCapacityRps(service));
        ops.effectors.execute({ kind: 'shed-load', service, fraction: left });
      });
    }),
  );
};
