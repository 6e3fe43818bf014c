/** The pods of one workload as the autoscaler sees them at one sync, aggregated (no object per pod). */
export interface PodMetrics {
  /** Sum of the CPU utilisation (against the request, 0..1) of the ready pods that have metrics. */
  readonly readySum: number;
  /** Ready pods that have metrics. */
  readonly readyCount: number;
  /** Ready pods without metrics (their node could not be scraped, or not yet). */
  readonly missing: number;
  /** Pods not ready (out of rotation or starting). */
  readonly unready: number;
}

/**
 * The replica count the HPA recommends for a CPU-utilisation target, after Kubernetes' replica calculator
 * (pkg/controller/podautoscaler/replica_calculator.go): the ratio of the ready pods' mean utilisation to the
 * target, no change within the tolerance; when some pods lack metrics or are not ready, the ratio is recomputed
 * conservatively (missing pods at 100 % on a scale-down and 0 % on a scale-up, unready pods at 0 % on a
 * scale-up) and no change is made if that reverses the direction or lands within the tolerance.
 */
export const recommendReplicas = (
  m: PodMetrics,
  current: number,
  target: number,
  tolerance: number,
): number => {
  // Kubernetes refuses to act without a single ready pod's metrics.
  if (m.readyCount === 0) return current;
  const ratio = m.readySum / m.readyCount / target;
  const scaleUpWithUnready = m.unready > 0 && ratio > 1;
  if (!scaleUpWithUnready && m.missing === 0) {
    return Math.abs(1 - ratio) <= tolerance ? current : Math.ceil(ratio * m.readyCount);
  }
  let sum = m.readySum;
  let count = m.readyCount;
  if (m.missing > 0 && ratio !== 1) {
    sum += ratio < 1 ? m.missing * Math.max(1, target) : 0;
    count += m.missing;
  }
  if (scaleUpWithUnready) count += m.unready;
  const newRatio = sum / count / target;
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return current;
  }
  const next = Math.ceil(newRatio * count);
  if ((newRatio < 1 && next > current) || (newRatio > 1 && next < current)) return current;
  return next;
};
