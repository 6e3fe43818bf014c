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

/** Which cycle span holds an instant: the last cycle started at or before it, if it has not ended. */
const cycleIndexAt = (cycles: readonly TimelineCycle[], t: number): number => {
  let lo = 0;
  let hi = cycles.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((cycles[mid]?.startedAtMs ?? 0) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const c = cycles[found];
  return c !== undefined && t <= c.startedAtMs + c.totalMs ? found : -1;
};

/**
 * The spans of one run, made with the OpenTelemetry SDK on sim time (`simHrTime`): one trace whose root span
 * is the run; under it a span per fault (injected to recovered, or to cleared, or to the end) with its
 * detection and actions as events, and a span per MAPE-K cycle with a child span per phase it ran and events
 * for the actions it dispatched and the knowledge updates made during it. Ids are derived from the run.
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

  const cycles = j.timeline?.cycles ?? [];
  const cycleSpans: Span[] = [];
  for (const c of cycles) {
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
    cycleSpans.push(span);
  }
  // Events go to the cycle running at their instant, or to the run between cycles.
  const holder = (t: number): Span => cycleSpans[cycleIndexAt(cycles, t)] ?? root;
  for (const a of j.timeline?.actions ?? []) {
    holder(a.startedAtMs).addEvent(`action ${a.request.kind}`, actionAttributes(a), simHrTime(a.startedAtMs));
  }
  for (const k of j.timeline?.knowledge ?? []) {
    holder(k.atMs).addEvent(`knowledge.${k.update}`, knowledgeAttributes(k), simHrTime(k.atMs));
  }
  for (const [i, span] of cycleSpans.entries()) {
    const c = cycles[i];
    if (c !== undefined) span.end(simHrTime(c.startedAtMs + c.totalMs));
  }
  root.end(simHrTime(j.durationMs));
  return exporter.getFinishedSpans();
};
