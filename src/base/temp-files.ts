import { basename, dirname, join } from 'node:path';
import type { FileSystem } from './file-system.ts';
import { isProcessAlive } from './process-alive.ts';

/** `.<name>.<pid>.<n>.tmp`: the temporary sibling a write goes through before its rename. */
const TEMP_NAME = /^\..+\.(\d+)\.(\d+)\.tmp$/;

/** The temporary sibling of `path` for write number `sequence` of process `pid`. */
export const tempPathFor = (path: string, pid: number, sequence: number): string =>
  join(dirname(path), `.${basename(path)}.${pid}.${sequence}.tmp`);

/** The process id a temporary file name carries, or null when the name is not one of ours. */
export const tempOwner = (name: string): number | null => {
  const m = TEMP_NAME.exec(name);
  return m === null ? null : Number(m[1]);
};

/**
 * Removes the temporary files in `dir` left by writers that died before their rename (kill -9, power
 * loss): names of our shape whose process is gone. Our own and live processes' temporary files are left
 * alone, since they may be mid-write. Best effort: a file that cannot be listed or removed is skipped.
 * Returns the names removed.
 */
export const removeStaleTempFiles = (
  fs: FileSystem,
  dir: string,
  alive: (pid: number) => boolean = isProcessAlive,
): string[] => {
  let names: string[];
  try {
    names = fs.list(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempOwner(name);
    if (pid === null || pid === process.pid || alive(pid)) continue;
    try {
      fs.remove(join(dir, name));
      removed.push(name);
    } catch {
      // Someone else's to clean up (permissions); it does not stop this write.
    }
  }
  return removed;
};
