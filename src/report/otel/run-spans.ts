import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { KnowledgeRecord, TimelineCycle } from '../../timeline/run-timeline.ts';
import type { Journal, JournalAction } from '../journal.ts';
import { deterministicIds } from './deterministic-ids.ts';
import { simHrTime } from './sim-time.ts';

/** The instrumentation scope the spans carry. */
export const OTEL_SCOPE = 'mapek';

/** The four phases of a cycle, as child spans, with the cycle record's field for their sim time. */
export const PHASE_SPANS = [
  ['monitor', 'monitorMs'],
  ['analyze', 'analyzeMs'],
  ['plan', 'planMs'],
  ['execute', 'executeMs'],
] as const satisfies readonly (readonly [string, keyof TimelineCycle])[];

const actionAttributes = (a: JournalAction): Attributes => ({
  'mapek.action.id': a.id,
  'mapek.action.kind': a.request.kind,
  'mapek.action.type': a.type,
  'mapek.action.outcome': a.outcome,
  'mapek.action.request': JSON.stringify(a.request),
  'mapek.action.by': a.by,
  ...(a.finishedAtMs === null ? {} : { 'mapek.action.duration_ms': a.finishedAtMs - a.startedAtMs }),
  ...(a.failure === null ? {} : { 'mapek.action.failure': JSON.stringify(a.failure) }),
});

const knowledgeAttributes = (k: KnowledgeRecord): Attributes => ({
  'mapek.knowledge.update': k.update,
  'mapek.knowledge.from': k.from,
  'mapek.knowledge.detail': k.detail,
  ...(k.key === null ? {} : { 'mapek.failure.key': k.key }),
});

/** A stretch of sim time a span covers, for finding which span holds an event. */
interface Holder {
  readonly span: Span;
  readonly startedAtMs: number;
  /** Cycles the span stands for, `periodMs` apart, each `totalMs` long. */
  readonly count: number;
  readonly periodMs: number;
  readonly totalMs: number;
}

/** Which span holds an instant: the one whose cycle (or one of whose run's cycles) is running then. */
const holderAt = (holders: readonly Holder[], t: number): Span | undefined => {
  let lo = 0;
  let hi = holders.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((holders[mid]?.startedAtMs ?? 0) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const h = holders[found];
  if (h === undefined) return undefined;
  const k = h.periodMs > 0 ? Math.min(h.count - 1, Math.floor((t - h.startedAtMs) / h.periodMs)) : 0;
  return t <= h.startedAtMs + k * h.periodMs + h.totalMs ? h.span : undefined;
};

/**
 * The spans of one run, made with the OpenTelemetry SDK on sim time (`simHrTime`): one trace whose root span
 * is the run; under it a span per fault (injected to recovered, or to cleared, or to the end) with its
 * detection and actions as events; a span per MAPE-K cycle that planned, dispatched or went wrong, with a
 * child span per phase it ran; and one span per run of plain cycles (the journal's `quietCycles`), with the
 * phase times as attributes. Actions and knowledge updates are events on the span running at their instant.
 * Ids are derived from the run.
 */
export const runSpans = (j: Journal): ReadableSpan[] => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    idGenerator: deterministicIds(`${j.scenario.name}/${j.seed}/${j.policy}/${j.traceHash}`),
    resource: resourceFromAttributes({
      'service.name': 'mapek',
      'service.version': j.mapekVersion,
      'mapek.scenario': j.scenario.name,
      'mapek.seed': j.seed,
      'mapek.policy': j.policy,
    }),
    spanLimits: { eventCountLimit: Number.MAX_SAFE_INTEGER, attributeCountLimit: 256 },
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer(OTEL_SCOPE, j.mapekVersion);
  const start = (name: string, atMs: number, attributes: Attributes, parent?: Context): Span =>
    tracer.startSpan(name, { kind: SpanKind.INTERNAL, startTime: simHrTime(atMs), attributes }, parent);

  const root = start(`run ${j.scenario.name}`, 0, {
    'mapek.scenario': j.scenario.name,
    'mapek.scenario.file': j.scenario.file,
    'mapek.seed': j.seed,
    'mapek.policy': j.policy,
    'mapek.verdict': j.verdict,
    'mapek.trace_hash': j.traceHash,
    'mapek.availability': j.summary.availability,
  });
  root.setStatus(
    j.verdict === 'pass'
      ? { code: SpanStatusCode.OK }
      : { code: SpanStatusCode.ERROR, message: 'an SLO was violated' },
  );
  const inRun = trace.setSpan(context.active(), root);

  for (const f of j.faults) {
    const span = start(
      `fault ${f.id} ${f.kind}`,
      f.injectedAtMs,
      {
        'mapek.fault.id': f.id,
        'mapek.fault.kind': f.kind,
        'mapek.fault.origin': f.origin,
        'mapek.fault.targets': [...f.targets],
        'mapek.fault.impact': f.impact,
        ...(f.mttdMs === null ? {} : { 'mapek.fault.mttd_ms': f.mttdMs }),
        ...(f.mttrMs === null ? {} : { 'mapek.fault.mttr_ms': f.mttrMs }),
        ...(f.diagnosis === null ? {} : { 'mapek.fault.diagnosis': f.diagnosis }),
      },
      inRun,
    );
    if (f.detectedAtMs !== null)
      span.addEvent('detected', { 'mapek.diagnosis': f.diagnosis ?? '' }, simHrTime(f.detectedAtMs));
    if (f.clearedAtMs !== null) span.addEvent('cleared', simHrTime(f.clearedAtMs));
    for (const a of f.actions)
      span.addEvent(`action ${a.request.kind}`, actionAttributes(a), simHrTime(a.startedAtMs));
    if (f.impact && f.recoveredAtMs === null)
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'never recovered' });
    span.end(simHrTime(f.recoveredAtMs ?? f.clearedAtMs ?? j.durationMs));
  }

  const holders: Holder[] = [];
  for (const c of j.timeline?.busyCycles ?? []) {
    const span = start(
      `mapek.cycle ${c.cycle}`,
      c.startedAtMs,
      {
        'mapek.cycle': c.cycle,
        'mapek.cycle.status': c.status,
        'mapek.cycle.failures': c.failures,
        'mapek.cycle.dispatched': c.dispatched,
        ...(c.planned.length === 0 ? {} : { 'mapek.cycle.planned': [...c.planned] }),
      },
      inRun,
    );
    if (c.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: c.error });
    const inCycle = trace.setSpan(context.active(), span);
    let at = c.startedAtMs;
    for (const [name, field] of PHASE_SPANS) {
      const ms = c[field];
      if (ms <= 0 && name !== 'monitor') continue;
      start(name, at, { 'mapek.phase': name, 'mapek.cycle': c.cycle }, inCycle).end(simHrTime(at + ms));
      at += ms;
    }
    holders.push({ span, startedAtMs: c.startedAtMs, count: 1, periodMs: 0, totalMs: c.totalMs });
  }
  // A run of plain cycles is one span, from its first cycle's start to its last one's end, without phase
  // children: a day of quiet cycles as 17 000 spans would bury the few that did something.
  for (const r of j.timeline?.quietCycles ?? []) {
    const last = r.cycle + r.count - 1;
    const span = start(
      `mapek.cycles ${r.status} ${r.count === 1 ? r.cycle : `${r.cycle}-${last}`}`,
      r.startedAtMs,
      {
        'mapek.cycle': r.cycle,
        'mapek.cycle.last': last,
        'mapek.cycle.count': r.count,
        'mapek.cycle.period_ms': r.periodMs,
        'mapek.cycle.status': r.status,
        'mapek.cycle.failures': r.failures,
        ...Object.fromEntries(PHASE_SPANS.map(([name, field]) => [`mapek.cycle.${name}_ms`, r[field]])),
      },
      inRun,
    );
    holders.push({
      span,
      startedAtMs: r.startedAtMs,
      count: r.count,
      periodMs: r.periodMs,
      totalMs: r.totalMs,
    });
  }
  holders.sort((x, y) => x.startedAtMs - y.startedAtMs);
  // Events go to the cycle (or run of cycles) running at their instant, or to the run between cycles.
  const holder = (t: number): Span => holderAt(holders, t) ?? root;
  for (const a of j.timeline?.actions ?? []) {
    holder(a.startedAtMs).addEvent(`action ${a.request.kind}`, actionAttributes(a), simHrTime(a.startedAtMs));
  }
  for (const k of j.timeline?.knowledge ?? []) {
    holder(k.atMs).addEvent(`knowledge.${k.update}`, knowledgeAttributes(k), simHrTime(k.atMs));
  }
  for (const h of holders) h.span.end(simHrTime(h.startedAtMs + (h.count - 1) * h.periodMs + h.totalMs));
  root.end(simHrTime(j.durationMs));
  return exporter.getFinishedSpans();
};
