import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { otlpTraceJson } from '../../../src/report/otel/otlp-file.ts';
import { SIM_EPOCH_MS } from '../../../src/sim/sim-epoch.ts';
import { recordedRun } from '../html/support.ts';

/** OTLP/JSON's `AnyValue`, as the protobuf JSON mapping spells it. */
const anyValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.strictObject({ stringValue: z.string() }),
    z.strictObject({ boolValue: z.boolean() }),
    z.strictObject({ intValue: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]) }),
    z.strictObject({ doubleValue: z.number() }),
    z.strictObject({ arrayValue: z.strictObject({ values: z.array(anyValue) }) }),
  ]),
);
const attributes = z.array(z.strictObject({ key: z.string(), value: anyValue }));
const nanos = z.string().regex(/^\d+$/);

/** `ExportTraceServiceRequest` in OTLP/JSON (opentelemetry-proto, trace/v1): ids hex, times as strings. */
const exportRequest = z.strictObject({
  resourceSpans: z.array(
    z.strictObject({
      resource: z.strictObject({ attributes, droppedAttributesCount: z.number() }),
      schemaUrl: z.string().optional(),
      scopeSpans: z.array(
        z.strictObject({
          scope: z.strictObject({ name: z.string(), version: z.string().optional() }),
          schemaUrl: z.string().optional(),
          spans: z.array(
            z.strictObject({
              traceId: z.string().regex(/^[0-9a-f]{32}$/),
              spanId: z.string().regex(/^[0-9a-f]{16}$/),
              parentSpanId: z
                .string()
                .regex(/^[0-9a-f]{16}$/)
                .optional(),
              traceState: z.string().optional(),
              name: z.string(),
              kind: z.number().int().min(0).max(5),
              startTimeUnixNano: nanos,
              endTimeUnixNano: nanos,
              attributes,
              droppedAttributesCount: z.number(),
              events: z.array(
                z.strictObject({
                  timeUnixNano: nanos,
                  name: z.string(),
                  attributes,
                  droppedAttributesCount: z.number(),
                }),
              ),
              droppedEventsCount: z.number(),
              status: z.strictObject({
                code: z.number().int().min(0).max(2),
                message: z.string().optional(),
              }),
              links: z.array(z.unknown()),
              droppedLinksCount: z.number(),
              flags: z.number().optional(),
            }),
          ),
        }),
      ),
    }),
  ),
});

/** Sim ms of an OTLP timestamp (nanoseconds since the Unix epoch). */
const simMs = (unixNano: string): number => Number(BigInt(unixNano) / 1_000_000n) - SIM_EPOCH_MS;

describe('the OTLP/JSON export of a run', () => {
  const { journal } = recordedRun('crash-during-partition.yaml');
  const text = otlpTraceJson([journal]);
  const decoded = exportRequest.parse(JSON.parse(text));
  const spans = decoded.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const [root, ...others] = spans.filter((s) => s.parentSpanId === undefined);
  const cycles = journal.timeline?.busyCycles ?? [];
  const runs = journal.timeline?.quietCycles ?? [];

  it('is one trace with one root span, the run, over the whole sim time', () => {
    expect(decoded.resourceSpans).toHaveLength(1);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(others).toEqual([]);
    expect(root?.name).toBe('run crash-during-partition');
    expect([simMs(root?.startTimeUnixNano ?? '0'), simMs(root?.endTimeUnixNano ?? '0')]).toEqual([
      0,
      journal.durationMs,
    ]);
  });

  it('has a span per fault from injection to recovery, under the run', () => {
    const faults = spans.filter((s) => s.name.startsWith('fault '));
    expect(faults.map((s) => s.parentSpanId)).toEqual(journal.faults.map(() => root?.spanId));
    expect(faults.map((s) => [simMs(s.startTimeUnixNano), simMs(s.endTimeUnixNano)])).toEqual(
      journal.faults.map((f) => [f.injectedAtMs, f.recoveredAtMs]),
    );
  });

  it("has a span per busy cycle whose phase children take the journal's phase times, back to back", () => {
    const cycleSpans = spans.filter((s) => s.name.startsWith('mapek.cycle '));
    expect(cycleSpans).toHaveLength(cycles.length);
    expect(cycles.length).toBeGreaterThanOrEqual(2);
    for (const [i, span] of cycleSpans.entries()) {
      const c = cycles[i];
      expect(span.parentSpanId).toBe(root?.spanId);
      const children = spans.filter((s) => s.parentSpanId === span.spanId);
      const expected = (
        [
          ['monitor', c?.monitorMs],
          ['analyze', c?.analyzeMs],
          ['plan', c?.planMs],
          ['execute', c?.executeMs],
        ] as const
      ).filter(([name, ms]) => name === 'monitor' || (ms ?? 0) > 0);
      expect(children.map((s) => [s.name, simMs(s.endTimeUnixNano) - simMs(s.startTimeUnixNano)])).toEqual(
        expected,
      );
      let at = simMs(span.startTimeUnixNano);
      expect(at).toBe(c?.startedAtMs);
      for (const child of children) {
        expect(simMs(child.startTimeUnixNano)).toBe(at);
        at = simMs(child.endTimeUnixNano);
      }
      expect(simMs(span.endTimeUnixNano) - simMs(span.startTimeUnixNano)).toBe(c?.totalMs);
    }
  });

  it('has one childless span per run of plain cycles, from its first start to its last end', () => {
    const runSpans = spans.filter((s) => s.name.startsWith('mapek.cycles '));
    expect(runs.length).toBeGreaterThan(1);
    expect(
      runSpans.map((s) => [s.parentSpanId, simMs(s.startTimeUnixNano), simMs(s.endTimeUnixNano)]),
    ).toEqual(
      runs.map((r) => [root?.spanId, r.startedAtMs, r.startedAtMs + (r.count - 1) * r.periodMs + r.totalMs]),
    );
    expect(spans.filter((s) => runSpans.some((r) => r.spanId === s.parentSpanId))).toEqual([]);
    const counts = runSpans.map((s) => s.attributes.find((a) => a.key === 'mapek.cycle.count')?.value);
    expect(counts).toEqual(runs.map((r) => ({ intValue: r.count })));
  });

  it('carries every action and knowledge update as an event of the cycle (or run) it happened in', () => {
    const holders = spans.filter((s) => !s.name.startsWith('fault '));
    const actionEvents = holders.flatMap((s) => s.events.filter((e) => e.name.startsWith('action ')));
    const knowledgeEvents = holders.flatMap((s) => s.events.filter((e) => e.name.startsWith('knowledge.')));
    expect(actionEvents.map((e) => simMs(e.timeUnixNano))).toEqual(
      journal.timeline?.actions.map((a) => a.startedAtMs),
    );
    expect(knowledgeEvents).toHaveLength(journal.timeline?.knowledge.length ?? -1);
    expect(knowledgeEvents.length).toBeGreaterThan(0);
    for (const s of holders) {
      for (const e of s.events) {
        expect(simMs(e.timeUnixNano)).toBeGreaterThanOrEqual(simMs(s.startTimeUnixNano));
        expect(simMs(e.timeUnixNano)).toBeLessThanOrEqual(simMs(s.endTimeUnixNano));
      }
    }
    expect(byId.size).toBe(spans.length);
  });

  it('is the same file, ids included, for the same run', () => {
    const again = recordedRun('crash-during-partition.yaml').journal;
    expect(otlpTraceJson([again])).toBe(text);
  });

  it('gives each run of several its own trace and resource', () => {
    const other = recordedRun('crash-during-partition.yaml', { seed: 2 }).journal;
    const both = exportRequest.parse(JSON.parse(otlpTraceJson([journal, other])));
    const traces = both.resourceSpans.map(
      (r) => new Set(r.scopeSpans.flatMap((s) => s.spans.map((x) => x.traceId))),
    );
    expect(traces.map((t) => t.size)).toEqual([1, 1]);
    expect([...(traces[0] ?? [])][0]).not.toBe([...(traces[1] ?? [])][0]);
  });
});
