import { createHash, type Hash } from 'node:crypto';

/** One line of the trace: simulated time, what happened, and who did it (a logical id, never a session id). */
export interface TraceEvent {
  readonly t: number;
  readonly kind: string;
  readonly source: string;
  readonly [field: string]: unknown;
}

/** Characters of trace lines buffered before they are hashed (one hash update per chunk, not per line). */
const PENDING_LIMIT = 1 << 16;

/**
 * An append-only record of everything that happened in a world, with a running SHA-256 over the
 * canonical lines. Two runs of the same scenario and seed must end with the same hash.
 */
export class Trace {
  private readonly sha: Hash = createHash('sha256');
  private readonly lines: string[] = [];
  private n = 0;
  /** Lines not yet fed to the hash: SHA-256 is a stream, so hashing them in chunks gives the same digest. */
  private pending = '';

  constructor(
    /** Keep every line in memory (for `--trace` files); the hash is kept either way. */
    private readonly keepLines = false,
  ) {}

  /** Appends one event. Field order is part of the line, so callers build objects in a fixed order. */
  record(event: TraceEvent): void {
    const line = JSON.stringify(event);
    this.pending += `${line}\n`;
    if (this.pending.length >= PENDING_LIMIT) this.flush();
    this.n++;
    if (this.keepLines) this.lines.push(line);
  }

  /** Number of events recorded. */
  get count(): number {
    return this.n;
  }

  /** Hex SHA-256 of every line so far. */
  get hash(): string {
    this.flush();
    return this.sha.copy().digest('hex');
  }

  private flush(): void {
    if (this.pending === '') return;
    this.sha.update(this.pending);
    this.pending = '';
  }

  /** The recorded lines (NDJSON without the newlines); empty unless `keepLines` was set. */
  get recordedLines(): readonly string[] {
    return this.lines;
  }
}
