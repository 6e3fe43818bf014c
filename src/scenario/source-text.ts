import { err, ok, type Result } from '../base/result.ts';
import { type LoadError, type SourcePosition, singleIssueError } from './load-error.ts';

/** Scenario files are hand-written: anything larger is a mistake or an attack, and is refused unread. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Line and column of a byte offset, counting lines by `\n` (enough to point at a stray byte). */
const positionOfByte = (bytes: Uint8Array, offset: number): SourcePosition => {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
};

/** Offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or -1. */
export const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else {
      return i;
    }
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
};

/**
 * Turns the raw bytes of a scenario file into text, refusing what cannot be a hand-written scenario:
 * an empty file, a file over {@link MAX_SCENARIO_BYTES}, and binary content (NUL bytes, invalid UTF-8).
 * A UTF-8 byte order mark is dropped.
 */
export const decodeScenarioBytes = (bytes: Uint8Array, file: string): Result<string, LoadError> => {
  if (bytes.length === 0) {
    return err(singleIssueError('empty', file, 'the file is empty: expected a scenario', null));
  }
  if (bytes.length > MAX_SCENARIO_BYTES) {
    const message = `the file is ${bytes.length} bytes; scenario files are limited to ${MAX_SCENARIO_BYTES} bytes`;
    return err({
      kind: 'too-large',
      file,
      message,
      bytes: bytes.length,
      limitBytes: MAX_SCENARIO_BYTES,
      issues: [{ file, position: null, path: [], message }],
    });
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return err(
      singleIssueError(
        'binary',
        file,
        'the file is binary (it contains a NUL byte): expected a YAML or JSON text file',
        positionOfByte(bytes, nul),
      ),
    );
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    return err(
      singleIssueError(
        'binary',
        file,
        'the file is not valid UTF-8 text: expected a YAML or JSON text file',
        positionOfByte(bytes, bad),
      ),
    );
  }
  // TextDecoder drops a leading byte order mark by default.
  return ok(new TextDecoder('utf-8').decode(bytes));
};
