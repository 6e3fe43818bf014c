import type { SeriesMetric, ServiceSeries } from '../../timeline/series.ts';

/** The value panels, as data: a panel is drawn when some service has every column it needs. */
export type PanelId =
  | 'availability'
  | 'errorRate'
  | 'throughput'
  | 'goodput'
  | 'latencyMean'
  | 'latencyTail'
  | 'backlog'
  | 'timeouts'
  | 'retries';

export interface PanelDef {
  readonly id: PanelId;
  readonly title: string;
  readonly unit: string;
  /** The lines of the panel per service: a metric, how to scale it, and its dash. */
  readonly lines: readonly {
    readonly metric: SeriesMetric;
    readonly scale?: (v: number) => number;
    readonly dash?: string;
    readonly label?: string;
  }[];
  /** Lower bound of the value axis (upper for `availability` is 100). */
  readonly floor?: number;
  readonly ceiling?: number;
}

const pct = (v: number) => v * 100;

/** Every panel the report knows, in drawing order. Issue 13's metrics have theirs ready here. */
export const PANELS: readonly PanelDef[] = [
  {
    id: 'availability',
    title: 'Availability (served / offered)',
    unit: '%',
    lines: [{ metric: 'errorRate', scale: (v) => 100 - v * 100 }],
    ceiling: 100,
  },
  { id: 'errorRate', title: 'Error rate', unit: '%', lines: [{ metric: 'errorRate', scale: pct }], floor: 0 },
  {
    id: 'throughput',
    title: 'Throughput: served (solid) and offered (dotted)',
    unit: 'rps',
    lines: [
      { metric: 'servedRps', label: 'served' },
      { metric: 'offeredRps', dash: '2 3', label: 'offered' },
    ],
    floor: 0,
  },
  { id: 'goodput', title: 'Goodput', unit: 'rps', lines: [{ metric: 'goodputRps' }], floor: 0 },
  { id: 'latencyMean', title: 'Mean latency', unit: 'ms', lines: [{ metric: 'latencyMeanMs' }], floor: 0 },
  {
    id: 'latencyTail',
    title: 'Latency p50 (dotted) and p99 (solid)',
    unit: 'ms',
    lines: [
      { metric: 'latencyP50Ms', dash: '2 3', label: 'p50' },
      { metric: 'latencyP99Ms', label: 'p99' },
    ],
    floor: 0,
  },
  { id: 'backlog', title: 'Backlog', unit: 'requests', lines: [{ metric: 'backlog' }], floor: 0 },
  {
    id: 'timeouts',
    title: 'Timeout rate',
    unit: '%',
    lines: [{ metric: 'timeoutRate', scale: pct }],
    floor: 0,
  },
  { id: 'retries', title: 'Retry rate', unit: '%', lines: [{ metric: 'retryRate', scale: pct }], floor: 0 },
];

/** The panels this run has data for. */
export const panelsFor = (series: readonly ServiceSeries[]): PanelDef[] =>
  PANELS.filter((p) => series.some((s) => p.lines.every((l) => s.columns[l.metric] !== undefined)));
