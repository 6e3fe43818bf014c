import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { err, ok, type Result } from '../base/result.ts';

/** An output file that could not be written. */
export interface WriteError {
  readonly kind: 'write-failed';
  readonly path: string;
  readonly message: string;
}

let sequence = 0;

const failure = (path: string, e: unknown): WriteError => ({
  kind: 'write-failed',
  path,
  message: `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`,
});

/**
 * A file written through a temporary sibling and renamed into place on commit, so a reader never sees
 * half a journal, and a crash leaves the previous file (or none) rather than a truncated one. Chunks can be
 * appended as they come (a trace of many runs never has to sit in memory whole).
 */
export class AtomicFile {
  private fd: number | null;

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens the temporary file next to `path`. */
  static open(path: string): Result<AtomicFile, WriteError> {
    sequence++;
    // Same directory, so the rename stays on one file system and is atomic; pid and a counter keep
    // concurrent writers apart without drawing random numbers.
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${sequence}.tmp`);
    try {
      return ok(new AtomicFile(path, tempPath, openSync(tempPath, 'wx')));
    } catch (e) {
      return err(failure(path, e));
    }
  }

  /** Appends text. */
  write(chunk: string): Result<void, WriteError> {
    if (this.fd === null) return err(failure(this.path, new Error('the file is already closed')));
    try {
      writeSync(this.fd, chunk);
      return ok(undefined);
    } catch (e) {
      this.abort();
      return err(failure(this.path, e));
    }
  }

  /** Flushes to disk and renames the temporary file over `path`. */
  commit(): Result<void, WriteError> {
    const fd = this.fd;
    if (fd === null) return err(failure(this.path, new Error('the file is already closed')));
    try {
      fsyncSync(fd);
      closeSync(fd);
      this.fd = null;
      renameSync(this.tempPath, this.path);
      return ok(undefined);
    } catch (e) {
      this.abort();
      return err(failure(this.path, e));
    }
  }

  /** Drops the temporary file; `path` is left as it was. */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Already unusable; removing the temporary file below is what matters.
      }
      this.fd = null;
    }
    rmSync(this.tempPath, { force: true });
  }
}

/** Writes `text` to `path` atomically (temporary file, fsync, rename). */
export const writeFileAtomic = (path: string, text: string): Result<void, WriteError> => {
  const file = AtomicFile.open(path);
  if (!file.ok) return file;
  const written = file.value.write(text);
  if (!written.ok) return written;
  return file.value.commit();
};
