/**
 * The ground-truth level of each service over time, as columns: one row per instant a service's level
 * changed (the fluid model is piecewise constant between events, so a step chart of the rows is exact).
 *
 * Columns a journal does not carry are absent rather than zero (a journal written before the queueing model
 * has no p50/p99, backlog, goodput, timeout or retry columns): the report draws a panel only for a metric some
 * service has. Error rate is the users' (1 - answered in time / offered); timeout and retry rates are shares
 * of the attempts (users' requests plus retries).
 */
export interface ServiceSeries {
  readonly service: string;
  /** Sim ms of each row, increasing. */
  readonly t: readonly number[];
  readonly columns: Readonly<Partial<Record<SeriesMetric, readonly number[]>>>;
}

/** Every metric a series column may hold. */
export const SERIES_METRICS = [
  'offeredRps',
  'servedRps',
  'errorRate',
  'latencyMeanMs',
  'latencyP50Ms',
  'latencyP99Ms',
  'goodputRps',
  'backlog',
  'timeoutRate',
  'retryRate',
] as const;

/** A metric of a service's level. */
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/** The value of `column` at `t`: the last row at or before it (the first row's before the first). */
export const valueAt = (series: ServiceSeries, metric: SeriesMetric, t: number): number | undefined => {
  const col = series.columns[metric];
  if (col === undefined || series.t.length === 0) return undefined;
  let lo = 0;
  let hi = series.t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((series.t[mid] ?? 0) <= t) lo = mid;
    else hi = mid - 1;
  }
  return col[lo];
};
