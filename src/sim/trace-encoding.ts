import { createHash, type Hash } from 'node:crypto';

/**
 * The tags of the compact encoding the trace hash is taken over (documented in docs/architecture.md, "The
 * trace hash"). One byte before each value, so no two different events encode to the same bytes.
 */
const TAG = {
  int: 0x01,
  float: 0x02,
  string: 0x03,
  false: 0x04,
  true: 0x05,
  null: 0x06,
  array: 0x07,
  object: 0x08,
  end: 0x09,
} as const;

/** Bytes buffered before they are hashed: one hash update per chunk, not per event. */
const CHUNK = 1 << 16;
/** Room kept free for a fixed-size value (a tag and eight bytes), so only strings check their length. */
const SLACK = 16;

/**
 * A running SHA-256 over trace events in a compact binary encoding: each value a tag byte then its payload
 * (an int32 as 4 bytes, any other number as its 8 IEEE-754 bytes, a string as its UTF-16 length and code
 * units, little-endian), an object as its keys and values in insertion order between `object` and `end`, an
 * array as its elements between `array` and `end`. Keys whose value is undefined or a function are left out,
 * as JSON.stringify leaves them out, so the hash covers exactly the fields a trace line shows; unlike JSON,
 * -0, NaN and the infinities keep their own encodings. No string is built, unlike hashing the JSON lines.
 */
export class TraceHasher {
  private readonly sha: Hash = createHash('sha256');
  private readonly bytes = new Uint8Array(CHUNK + SLACK);
  private readonly view = new DataView(this.bytes.buffer);
  private at = 0;

  /** Adds one event (or any JSON-like value). */
  add(value: unknown): void {
    this.value(value);
  }

  /** Hex SHA-256 of everything added so far; more can be added after. */
  digest(): string {
    this.flush();
    return this.sha.copy().digest('hex');
  }

  private value(v: unknown): void {
    if (this.at >= CHUNK) this.flush();
    switch (typeof v) {
      case 'number':
        this.number(v);
        return;
      case 'string':
        this.string(v, true);
        return;
      case 'boolean':
        this.bytes[this.at++] = v ? TAG.true : TAG.false;
        return;
      case 'object':
        if (v === null) this.bytes[this.at++] = TAG.null;
        else if (Array.isArray(v)) this.array(v);
        else this.object(v as Record<string, unknown>);
        return;
      default:
        // undefined, a function or a symbol inside an array: JSON writes null there.
        this.bytes[this.at++] = TAG.null;
    }
  }

  private number(n: number): void {
    if ((n | 0) === n && !Object.is(n, -0)) {
      this.bytes[this.at] = TAG.int;
      this.view.setInt32(this.at + 1, n, true);
      this.at += 5;
    } else {
      this.bytes[this.at] = TAG.float;
      this.view.setFloat64(this.at + 1, n, true);
      this.at += 9;
    }
  }

  private string(s: string, tagged: boolean): void {
    const n = s.length;
    if (this.at + 2 * n + SLACK > CHUNK) this.flush();
    if (2 * n + SLACK > CHUNK) {
      this.longString(s, tagged);
      return;
    }
    const b = this.bytes;
    let at = this.at;
    if (tagged) b[at++] = TAG.string;
    this.view.setUint32(at, n, true);
    at += 4;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      b[at++] = c & 0xff;
      b[at++] = c >>> 8;
    }
    this.at = at;
  }

  /** A string longer than a chunk goes to the hash straight after its header. */
  private longString(s: string, tagged: boolean): void {
    if (tagged) this.bytes[this.at++] = TAG.string;
    this.view.setUint32(this.at, s.length, true);
    this.at += 4;
    this.flush();
    this.sha.update(Buffer.from(s, 'utf16le'));
  }

  private array(a: readonly unknown[]): void {
    this.bytes[this.at++] = TAG.array;
    for (const x of a) this.value(x);
    if (this.at >= CHUNK) this.flush();
    this.bytes[this.at++] = TAG.end;
  }

  private object(o: Readonly<Record<string, unknown>>): void {
    this.bytes[this.at++] = TAG.object;
    for (const k in o) {
      const v = o[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      this.string(k, false);
      this.value(v);
    }
    if (this.at >= CHUNK) this.flush();
    this.bytes[this.at++] = TAG.end;
  }

  private flush(): void {
    if (this.at === 0) return;
    this.sha.update(this.bytes.subarray(0, this.at));
    this.at = 0;
  }
}
