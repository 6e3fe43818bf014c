import { constants } from 'node:fs';
import { errorCode, errorText, type FileSystem, NODE_FILE_SYSTEM } from './file-system.ts';
import { fileTypeName } from './output-paths.ts';
import { err, ok, type Result } from './result.ts';

/** Why an input file was not read. */
export interface ReadFileError {
  readonly kind: 'missing' | 'not-regular' | 'too-large' | 'unreadable';
  readonly path: string;
  /** A short reason, to follow "cannot read <path>: ". */
  readonly reason: string;
  /** The size in bytes, for `too-large`. */
  readonly bytes?: number;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
};

const CHUNK = 64 * 1024;

/**
 * Reads a regular file of at most `maxBytes`, refusing anything else before reading a byte of it: a
 * device such as /dev/zero, a FIFO (opened non-blocking, so a pipe nobody writes to cannot hang the
 * command), a socket or a directory. The size is checked from the open descriptor (no race with a
 * rename), and again while reading, for a file that grows.
 */
export const readRegularFile = (
  path: string,
  maxBytes: number,
  fs: FileSystem = NODE_FILE_SYSTEM,
): Result<Uint8Array, ReadFileError> => {
  let fd: number;
  try {
    fd = fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = errorCode(e);
    return err({
      kind: code === 'ENOENT' ? 'missing' : 'unreadable',
      path,
      reason: REASONS[code] ?? errorText(e),
    });
  }
  try {
    const stats = fs.fstat(fd);
    if (!stats.isFile()) {
      return err({ kind: 'not-regular', path, reason: `is ${fileTypeName(stats)}, not a regular file` });
    }
    const tooLarge = (bytes: number): Result<never, ReadFileError> =>
      err({
        kind: 'too-large',
        path,
        bytes,
        reason: `the file is ${bytes} bytes; the limit is ${maxBytes} bytes`,
      });
    if (stats.size > maxBytes) return tooLarge(stats.size);
    // One byte more than the limit, so a file that grew since fstat is caught rather than cut short.
    let buffer = new Uint8Array(Math.min(maxBytes + 1, Math.max(stats.size + 1, CHUNK)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) break;
        const bigger = new Uint8Array(Math.min(maxBytes + 1, buffer.length * 2));
        bigger.set(buffer);
        buffer = bigger;
      }
      const n = fs.read(fd, buffer, length, buffer.length - length);
      if (n <= 0) break;
      length += n;
    }
    if (length > maxBytes) return tooLarge(length);
    return ok(buffer.subarray(0, length));
  } catch (e) {
    return err({ kind: 'unreadable', path, reason: REASONS[errorCode(e)] ?? errorText(e) });
  } finally {
    try {
      fs.close(fd);
    } catch {
      // Nothing left to lose on a read-only descriptor.
    }
  }
};

/** {@link readRegularFile} as UTF-8 text. */
export const readRegularTextFile = (
  path: string,
  maxBytes: number,
  fs: FileSystem = NODE_FILE_SYSTEM,
): Result<string, ReadFileError> => {
  const bytes = readRegularFile(path, maxBytes, fs);
  return bytes.ok ? ok(new TextDecoder('utf-8').decode(bytes.value)) : bytes;
};
