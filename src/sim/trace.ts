import { TraceHasher } from './trace-encoding.ts';

/** One line of the trace: simulated time, what happened, and who did it (a logical id, never a session id). */
export interface TraceEvent {
  readonly t: number;
  readonly kind: string;
  readonly source: string;
  readonly [field: string]: unknown;
}

/**
 * An append-only record of everything that happened in a world, with a running SHA-256 over the events in a
 * compact binary encoding (`TraceHasher`): two runs of the same scenario and seed must end with the same
 * hash, and a change of any traced field changes it. Events are serialised to JSON lines only when the
 * trace is kept (`--trace`), so a run that keeps none never builds a string per event.
 */
export class Trace {
  private readonly hasher = new TraceHasher();
  private readonly lines: string[] = [];
  private n = 0;

  constructor(
    /** Keep every line in memory (for `--trace` files); the hash is kept either way. */
    private readonly keepLines = false,
  ) {}

  /** Appends one event. Field order is part of the event, so callers build objects in a fixed order. */
  record(event: TraceEvent): void {
    this.hasher.add(event);
    this.n++;
    if (this.keepLines) this.lines.push(JSON.stringify(event));
  }

  /** Number of events recorded. */
  get count(): number {
    return this.n;
  }

  /** Hex SHA-256 of every event so far, in the compact encoding (not of the JSON lines). */
  get hash(): string {
    return this.hasher.digest();
  }

  /** The recorded lines (NDJSON without the newlines); empty unless `keepLines` was set. */
  get recordedLines(): readonly string[] {
    return this.lines;
  }
}
