import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Journal } from '../journal.ts';
import { runSpans } from './run-spans.ts';

/**
 * The runs as one OTLP/JSON `ExportTraceServiceRequest` (what an OTLP/HTTP exporter posts to
 * `/v1/traces`, and what Jaeger, Tempo and the collector's file receiver read): one trace per run, one
 * resource per run. Serialized by OpenTelemetry's own transformer, so the shape is the specification's.
 */
export const otlpTraceJson = (journals: readonly Journal[]): string => {
  const bytes = JsonTraceSerializer.serializeRequest(journals.flatMap(runSpans));
  if (bytes === undefined) throw new Error('the OTLP serializer returned nothing');
  return `${new TextDecoder().decode(bytes)}\n`;
};
