import { constants } from 'node:fs';
import { dirname } from 'node:path';
import { errorCode, errorText, type FileSystem, NODE_FILE_SYSTEM } from './file-system.ts';
import { err, ok, type Result } from './result.ts';
import { removeStaleTempFiles, tempPathFor } from './temp-files.ts';

/** An output file that could not be written; whatever was at `path` before is still there, whole. */
export interface WriteError {
  readonly kind: 'write-failed';
  readonly path: string;
  /** The system error code when there is one (`ENOSPC`, `EIO`, `EACCES`), else ''. */
  readonly code: string;
  readonly message: string;
}

let sequence = 0;

const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the disk reported an I/O error',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'the directory does not exist',
};

const failure = (path: string, e: unknown, kept: boolean): WriteError => {
  const code = errorCode(e);
  const hint = HINTS[code];
  const why = hint === undefined ? errorText(e) : `${hint} (${errorText(e)})`;
  return {
    kind: 'write-failed',
    path,
    code,
    message: `cannot write ${path}: ${why}; ${kept ? 'the previous file, if any, is unchanged' : 'the new file is in place but its directory entry may not be on disk yet'}`,
  };
};

/** A write that made no progress: a disk that takes zero bytes will never take the rest. */
const noProgress = (): Error =>
  Object.assign(new Error('ENOSPC: the write made no progress'), { code: 'ENOSPC' });

/**
 * A file written through a temporary sibling and renamed into place on commit, so a reader never sees
 * half a journal, and a crash or a full disk leaves the previous file (or none) rather than a truncated
 * one. Every chunk is written to the last byte (a short write is retried, never ignored); commit flushes
 * the file and its directory to disk before and after the rename. Chunks can be appended as they come (a
 * trace of many runs never has to sit in memory whole).
 */
export class AtomicFile {
  private fd: number | null;
  private error: WriteError | null = null;

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    fd: number,
    private readonly fs: FileSystem,
  ) {
    this.fd = fd;
  }

  /**
   * Opens the temporary file next to `path`, first removing the temporary files there of writers that
   * died mid-write (their name carries their process id).
   */
  static open(path: string, fs: FileSystem = NODE_FILE_SYSTEM): Result<AtomicFile, WriteError> {
    sequence++;
    removeStaleTempFiles(fs, dirname(path));
    // Same directory, so the rename stays on one file system and is atomic; pid and a counter keep
    // concurrent writers apart without drawing random numbers, and tell a dead writer's leftovers.
    const tempPath = tempPathFor(path, process.pid, sequence);
    try {
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
      return ok(new AtomicFile(path, tempPath, fs.open(tempPath, flags, 0o644), fs));
    } catch (e) {
      return err(failure(path, e, true));
    }
  }

  /** The first failure of this file, once it has failed (later writes are not attempted). */
  get failed(): WriteError | null {
    return this.error;
  }

  private fail(e: unknown, kept = true): Result<never, WriteError> {
    const error = failure(this.path, e, kept);
    if (kept) this.abort();
    this.error = error;
    return err(error);
  }

  private closed(): Result<never, WriteError> {
    return err(this.error ?? failure(this.path, new Error('the file is already closed'), true));
  }

  /** Appends text, looping until every byte is written. */
  write(chunk: string): Result<void, WriteError> {
    const fd = this.fd;
    if (fd === null) return this.closed();
    const bytes = Buffer.from(chunk, 'utf8');
    try {
      let done = 0;
      while (done < bytes.length) {
        const n = this.fs.write(fd, bytes, done, bytes.length - done);
        if (n <= 0) throw noProgress();
        done += n;
      }
      return ok(undefined);
    } catch (e) {
      return this.fail(e);
    }
  }

  /** Writes `text` and commits: the whole file in one call, for a caller that has it all at once. */
  finish(text: string): Result<void, WriteError> {
    const written = this.write(text);
    return written.ok ? this.commit() : written;
  }

  /** Flushes the file and its directory to disk, renames the temporary file over `path`, flushes again. */
  commit(): Result<void, WriteError> {
    const fd = this.fd;
    if (fd === null) return this.closed();
    try {
      this.fs.fsync(fd);
      this.fd = null;
      this.fs.close(fd);
      this.syncDirectory();
      this.fs.rename(this.tempPath, this.path);
    } catch (e) {
      return this.fail(e);
    }
    try {
      // The rename is only durable once the directory holding it is.
      this.syncDirectory();
      return ok(undefined);
    } catch (e) {
      return this.fail(e, false);
    }
  }

  private syncDirectory(): void {
    const dir = this.fs.open(dirname(this.path), constants.O_RDONLY);
    try {
      this.fs.fsync(dir);
    } finally {
      this.fs.close(dir);
    }
  }

  /** Drops the temporary file; `path` is left as it was. */
  abort(): void {
    if (this.fd !== null) {
      try {
        this.fs.close(this.fd);
      } catch {
        // Already unusable; removing the temporary file below is what matters.
      }
      this.fd = null;
    }
    try {
      this.fs.remove(this.tempPath);
    } catch {
      // Left for the next writer here to recognise by its (then dead) process id.
    }
  }
}

/** Writes `text` to `path` atomically (temporary file, every byte, fsync of file and directory, rename). */
export const writeFileAtomic = (
  path: string,
  text: string,
  fs: FileSystem = NODE_FILE_SYSTEM,
): Result<void, WriteError> => {
  const file = AtomicFile.open(path, fs);
  if (!file.ok) return file;
  const written = file.value.write(text);
  if (!written.ok) return written;
  return file.value.commit();
};
