import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FileSystem, NODE_FILE_SYSTEM } from '../../src/base/file-system.ts';
import { readRegularFile, readRegularTextFile } from '../../src/base/read-regular-file.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'mapek-read-'));

const kindOf = (r: ReturnType<typeof readRegularFile>) => (r.ok ? 'ok' : r.error.kind);

describe('reading input files', () => {
  it('reads a regular file whole', () => {
    const path = join(dir(), 'a.yaml');
    writeFileSync(path, 'name: a\n');

    expect(readRegularTextFile(path, 100)).toEqual({ ok: true, value: 'name: a\n' });
  });

  it('refuses /dev/zero before reading a byte', () => {
    const r = readRegularFile('/dev/zero', 1024);

    expect(r.ok ? null : r.error.reason).toBe('is a character device, not a regular file');
  });

  it('refuses a FIFO nobody writes to instead of blocking', () => {
    const fifo = join(dir(), 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);

    expect(kindOf(readRegularFile(fifo, 1024))).toBe('not-regular');
  });

  it('refuses a directory and a missing file', () => {
    const d = dir();

    expect([kindOf(readRegularFile(d, 10)), kindOf(readRegularFile(join(d, 'none'), 10))]).toEqual([
      'not-regular',
      'missing',
    ]);
  });

  it('refuses a file over the cap by its size, unread', () => {
    const path = join(dir(), 'big.yaml');
    writeFileSync(path, 'x'.repeat(2000));

    const r = readRegularFile(path, 1000);

    expect(r.ok ? null : r.error).toMatchObject({ kind: 'too-large', bytes: 2000 });
  });

  it('refuses a file that grows past the cap while it is read', () => {
    const path = join(dir(), 'growing.yaml');
    writeFileSync(path, 'x'.repeat(10));
    const growing: FileSystem = {
      ...NODE_FILE_SYSTEM,
      read: (_fd, buf, off, len) => {
        buf.fill(1, off, off + len);
        return len;
      },
    };

    expect(kindOf(readRegularFile(path, 100_000, growing))).toBe('too-large');
  });
});
