import type { Journal } from './journal.ts';

/**
 * The line that opens each run in an NDJSON trace file. It has the shape of a trace event (`t`, `kind`,
 * `source`) so a reader can treat every line alike, and it is not part of the trace hash it announces. That
 * hash is of the run's events in the trace's compact encoding (src/sim/trace-encoding.ts), not of the bytes
 * of the lines that follow: the lines carry the same fields, JSON-serialised.
 */
export const traceHeaderLine = (j: Journal): string =>
  JSON.stringify({
    t: 0,
    kind: 'run',
    source: 'mapek',
    scenario: j.scenario.name,
    file: j.scenario.file,
    seed: j.seed,
    policy: j.policy,
    traceHash: j.traceHash,
  });

/** A run's trace as NDJSON: its header line, then one event per line. */
export const traceChunk = (j: Journal, lines: readonly string[]): string =>
  `${traceHeaderLine(j)}\n${lines.length > 0 ? `${lines.join('\n')}\n` : ''}`;
