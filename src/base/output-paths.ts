import { accessSync, constants, lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { errorCode, type FileStats } from './file-system.ts';
import { err, ok, type Result } from './result.ts';

/** A path a command will write: a file (`--json`), or a directory it fills (`bench --out`). */
export interface OutputRequest {
  /** The flag that named it, for messages: `--json`. */
  readonly flag: string;
  /** As given; undefined when the flag was not used. */
  readonly path: string | undefined;
  readonly type?: 'file' | 'directory';
}

/** A path a command reads, which no output may overwrite. */
export interface InputRequest {
  /** What it is, for messages: `the scenario`, `the knowledge file`. */
  readonly what: string;
  readonly path: string;
}

/** One output path refused before any work was done. */
export interface OutputPathIssue {
  readonly kind: 'bad-output-path';
  readonly flag: string;
  readonly path: string;
  readonly message: string;
}

/** Where each checked output will really be written: the path itself, or a symlink's target. */
export type ResolvedOutputs = ReadonlyMap<string, string>;

const TYPE_NAMES: readonly [(s: FileStats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
  [(s) => s.isFIFO(), 'a named pipe (FIFO)'],
  [(s) => s.isSocket(), 'a socket'],
];

/** What a non-regular file is, in words. */
export const fileTypeName = (s: FileStats): string =>
  TYPE_NAMES.find(([is]) => is(s))?.[1] ?? (s.isFile() ? 'a regular file' : 'not a regular file');

const statOrNull = (path: string, follow: boolean): FileStats | null => {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return null;
    throw e;
  }
};

/** The identity of a file for "is this the same file": device and inode when it exists, else its real path. */
const identityOf = (path: string, stats: FileStats | null): string =>
  stats === null ? `path:${resolve(path)}` : `inode:${stats.dev}:${stats.ino}`;

interface Checked {
  readonly target: string;
  readonly identity: string;
}

/** The nearest ancestor of `path` that exists, which must be a writable directory. */
const existingAncestor = (path: string): string => {
  let dir = dirname(resolve(path));
  while (statOrNull(dir, true) === null && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
};

const checkOne = (o: OutputRequest, path: string): Checked | string => {
  if (path.trim() === '') return 'an empty path names no file';
  const own = statOrNull(path, false);
  let target = path;
  let stats = own;
  if (own?.isSymbolicLink() === true) {
    // Written through: the link stays, its target gets the new content (atomically, beside the target).
    stats = statOrNull(path, true);
    if (stats === null)
      return 'it is a symbolic link to a file that does not exist (dangling); name the target';
    target = realpathSync(path);
  }
  const wantDirectory = o.type === 'directory';
  if (stats !== null) {
    const fits = wantDirectory ? stats.isDirectory() : stats.isFile();
    if (!fits) {
      return `it is ${fileTypeName(stats)}; ${wantDirectory ? 'expected a directory (or none: it is created)' : 'outputs are written only to regular files (or to a new file)'}`;
    }
    const dir = wantDirectory ? target : dirname(target);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return `no write permission in ${dir}`;
    }
    return { target, identity: identityOf(target, stats) };
  }
  const parent = wantDirectory ? existingAncestor(path) : dirname(resolve(path));
  const parentStats = statOrNull(parent, true);
  if (parentStats === null) return `no such directory ${dirname(path)}`;
  if (!parentStats.isDirectory()) return `${parent} is ${fileTypeName(parentStats)}, not a directory`;
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    return `no write permission in ${parent}`;
  }
  // A new file: name it by its real directory, so `./a` and `dir/../a` are one output.
  const real = join(realpathSync(parent), relative(parent, resolve(path)));
  return { target: path, identity: `path:${real}` };
};

const inputIdentity = (path: string): string | null => {
  try {
    return identityOf(path, statSync(path));
  } catch {
    return null;
  }
};

/**
 * Checks every output path of a command before it does any work, and all of them at once: each must be
 * a regular file or not exist yet (in an existing, writable directory); a device, FIFO, socket or
 * directory is refused; a symbolic link is followed and its target written through; no output may be
 * one of the command's inputs, or another of its outputs (same file by device and inode, or by real
 * path for files still to be created). Returns where each output is to be written, keyed by flag.
 */
export const checkOutputPaths = (
  outputs: readonly OutputRequest[],
  inputs: readonly InputRequest[] = [],
): Result<ResolvedOutputs, OutputPathIssue[]> => {
  const issues: OutputPathIssue[] = [];
  const resolved = new Map<string, string>();
  const inputIds = new Map<string, InputRequest>();
  for (const i of inputs) {
    const id = inputIdentity(i.path);
    if (id !== null && !inputIds.has(id)) inputIds.set(id, i);
  }
  const seen = new Map<string, OutputRequest>();
  for (const o of outputs) {
    if (o.path === undefined) continue;
    const refuse = (message: string) =>
      issues.push({
        kind: 'bad-output-path',
        flag: o.flag,
        path: o.path ?? '',
        message: `cannot write ${o.path === '' ? '""' : o.path} (${o.flag}): ${message}`,
      });
    let checked: Checked | string;
    try {
      checked = checkOne(o, o.path);
    } catch (e) {
      checked = `it cannot be checked: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (typeof checked === 'string') {
      refuse(checked);
      continue;
    }
    const input = inputIds.get(checked.identity);
    if (input !== undefined) {
      refuse(`it is ${input.what} (${input.path}); an output must not overwrite an input`);
      continue;
    }
    const other = seen.get(checked.identity);
    if (other !== undefined) {
      refuse(`it is also the ${other.flag} output; give each output its own file`);
      continue;
    }
    seen.set(checked.identity, o);
    resolved.set(o.flag, checked.target);
  }
  return issues.length > 0 ? err(issues) : ok(resolved);
};
