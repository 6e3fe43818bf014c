import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';

/**
 * What the file utilities read from a stat: a structural subset of Node's `Stats`, so the package's types
 * do not need `@types/node` in a consumer's project.
 */
export interface FileStats {
  readonly size: number;
  readonly dev: number;
  readonly ino: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * The synchronous file-system calls the file utilities make, gathered so a test can hand in a stub that
 * fails the way a full or broken disk does (ENOSPC, EIO, short writes) without needing such a disk.
 */
export interface FileSystem {
  readonly open: (path: string, flags: number | string, mode?: number) => number;
  /** Writes from `buffer[offset, offset + length)`; returns how many bytes were written (maybe fewer). */
  readonly write: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  readonly read: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  readonly fstat: (fd: number) => FileStats;
  readonly fsync: (fd: number) => void;
  readonly close: (fd: number) => void;
  readonly rename: (from: string, to: string) => void;
  readonly remove: (path: string) => void;
  readonly list: (dir: string) => string[];
}

/** The real file system. */
export const NODE_FILE_SYSTEM: FileSystem = {
  open: (path, flags, mode) => openSync(path, flags, mode),
  write: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length),
  read: (fd, buffer, offset, length) => readSync(fd, buffer, offset, length, null),
  fstat: (fd) => fstatSync(fd),
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  remove: (path) => rmSync(path, { force: true }),
  list: (dir) => readdirSync(dir),
};

/** The `code` of a Node system error (`ENOSPC`, `EIO`), or '' for anything else. */
export const errorCode = (e: unknown): string =>
  e !== null && typeof e === 'object' && 'code' in e ? String(e.code) : '';

/** A system error's message without Node's `ENOSPC: ` prefix repeated, for one-line reports. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
