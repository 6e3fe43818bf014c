import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { errorCode, errorText } from './file-system.ts';
import { isProcessAlive } from './process-alive.ts';
import { err, ok, type Result } from './result.ts';

/** A lock another live process holds, or one that could not be taken. */
export interface LockError {
  readonly kind: 'locked' | 'lock-failed';
  readonly path: string;
  /** The process holding it, for `locked`. */
  readonly holder?: number;
  readonly message: string;
}

/** A held lock; release it when done (it is also released when the process exits normally). */
export interface FileLock {
  readonly lockPath: string;
  release(): void;
}

const held = new Set<string>();
let exitHook = false;

const releaseAllOnExit = () => {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const p of held) rmSync(p, { force: true });
  });
};

/** An empty lock file younger than this is being written, not abandoned. */
const FRESH_MS = 5_000;

const justCreated = (lockPath: string): boolean => {
  try {
    // Wall-clock time of the file system, for a CLI lock: never part of a simulation.
    return Date.now() - statSync(lockPath).mtimeMs < FRESH_MS;
  } catch {
    return false;
  }
};

const holderOf = (lockPath: string): number | null => {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/**
 * Takes an exclusive lock on `path` by creating `<path>.lock` with O_EXCL, holding this process's id.
 * Another live holder means refusal (two runs sharing one knowledge file would each save what it learned
 * over the other's); a lock left by a process that died (kill -9) is recognised by its dead pid and taken
 * over. No dependency: O_EXCL creation is atomic on local file systems, and a sync CLI has no use for the
 * retries and mtime heartbeats of proper-lockfile.
 */
export const acquireLock = (
  path: string,
  alive: (pid: number) => boolean = isProcessAlive,
): Result<FileLock, LockError> => {
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o644);
      try {
        writeSync(fd, `${process.pid}\n`);
      } catch (e) {
        // A lock without its holder's pid would look stale to the next run: take none at all.
        rmSync(lockPath, { force: true });
        throw e;
      } finally {
        closeSync(fd);
      }
      held.add(lockPath);
      releaseAllOnExit();
      return ok({
        lockPath,
        release: () => {
          if (held.delete(lockPath)) rmSync(lockPath, { force: true });
        },
      });
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') {
        return err({ kind: 'lock-failed', path, message: `cannot lock ${path}: ${errorText(e)}` });
      }
      const holder = holderOf(lockPath);
      if (holder === null && justCreated(lockPath)) {
        // Another process has created it and is about to write its pid: it is held, not stale.
        return err({
          kind: 'locked',
          path,
          message: `${path} is being locked by another mapek process (lock file ${lockPath}); wait for it to finish, or give this run its own file`,
        });
      }
      if (holder !== null && (holder === process.pid || alive(holder))) {
        return err({
          kind: 'locked',
          path,
          holder,
          message: `${path} is in use by mapek process ${holder} (lock file ${lockPath}); wait for it to finish, or give this run its own file`,
        });
      }
      // The holder is gone (or wrote no pid before dying): the lock is stale.
      rmSync(lockPath, { force: true });
    }
  }
  return err({
    kind: 'lock-failed',
    path,
    message: `cannot lock ${path}: the lock file ${lockPath} keeps reappearing`,
  });
};
