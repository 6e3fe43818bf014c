import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { acquireLock, type FileLock } from '../base/file-lock.ts';
import { type KnowledgeFileData, loadKnowledgeFile, saveKnowledgeFile } from '../mapek/knowledge-file.ts';
import type { CliContext } from './cli-context.ts';
import { EXIT } from './exit-codes.ts';

/**
 * The knowledge carried from run to run with `--knowledge`: loaded before the first run, handed to each run,
 * replaced by what the run learned and saved after it.
 */
export interface KnowledgeCarry {
  /** Where it is read and written (a symlink's target). */
  readonly path: string;
  /** As given on the command line, for the journal. */
  readonly given: string;
  current: KnowledgeFileData | undefined;
  saveFailed: boolean;
}

/**
 * Opens `--knowledge`: an existing file must be a readable mapek knowledge file (anything else is refused,
 * exit 2, and left untouched); a missing one starts the loop from nothing and is created after the first run.
 */
export const openKnowledge = (
  ctx: CliContext,
  given: string | undefined,
  path: string | undefined,
): KnowledgeCarry | null | 'failed' => {
  if (given === undefined || path === undefined) return null;
  if (!existsSync(path)) {
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      ctx.warn(`mapek: cannot write knowledge file ${path}: no such directory ${dir}`);
      return 'failed';
    }
    return { path, given, current: undefined, saveFailed: false };
  }
  const loaded = loadKnowledgeFile(path);
  if (!loaded.ok) {
    ctx.warn(`mapek: ${loaded.error.message}; the file was not changed`);
    return 'failed';
  }
  return { path, given, current: loaded.value, saveFailed: false };
};

/** Takes what a run learned as the knowledge of the next run, and saves it (atomically). */
export const carryKnowledge = (ctx: CliContext, carry: KnowledgeCarry, learned: unknown): void => {
  if (learned === null || learned === undefined) return;
  const data = learned as KnowledgeFileData;
  carry.current = data;
  // After one failed save (a full disk) the rest of the sweep still learns, but is not saved again.
  if (carry.saveFailed) return;
  const saved = saveKnowledgeFile(carry.path, data);
  if (!saved.ok) {
    carry.saveFailed = true;
    ctx.warn(
      `mapek: ${saved.error.message}; later runs of this command will not save their knowledge either`,
    );
    ctx.exit(EXIT.invalidInput);
  }
};

/** Locks `--knowledge` for the whole command; 'failed' (reported, exit 2) when another run holds it. */
export const lockKnowledge = (ctx: CliContext, path: string | undefined): FileLock | null | 'failed' => {
  if (path === undefined) return null;
  const lock = acquireLock(path);
  if (lock.ok) return lock.value;
  ctx.warn(`mapek: ${lock.error.message}`);
  ctx.exit(EXIT.invalidInput);
  return 'failed';
};
