import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeFileAtomic } from '../../src/base/atomic-write.ts';
import { type FileSystem, NODE_FILE_SYSTEM } from '../../src/base/file-system.ts';
import { tempPathFor } from '../../src/base/temp-files.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'mapek-atomic-fail-'));

const sysError = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** The real file system, except that writes take at most `chunk` bytes and refuse after `capacity`. */
const smallDisk = (capacity: number, chunk = 4096): FileSystem => {
  let used = 0;
  return {
    ...NODE_FILE_SYSTEM,
    write: (fd, buffer, offset, length) => {
      if (used >= capacity) throw sysError('ENOSPC');
      const n = Math.min(length, chunk, capacity - used);
      used += n;
      return NODE_FILE_SYSTEM.write(fd, buffer, offset, n);
    },
  };
};

const withOld = (): { d: string; path: string } => {
  const d = dir();
  const path = join(d, 'knowledge.json');
  writeFileSync(path, 'the old file, whole\n');
  return { d, path };
};

describe('atomic writes on a failing disk', () => {
  it('retry short writes until every byte is on disk', () => {
    const { path } = withOld();
    const text = 'x'.repeat(50_000);

    const r = writeFileAtomic(path, text, smallDisk(Number.POSITIVE_INFINITY, 1000));

    expect(r.ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('keep the old file, remove the temporary one and say the disk is full on ENOSPC', () => {
    const { d, path } = withOld();

    const r = writeFileAtomic(path, 'y'.repeat(47_234), smallDisk(16_384));

    expect(r.ok ? null : { code: r.error.code, full: r.error.message.includes('disk is full') }).toEqual({
      code: 'ENOSPC',
      full: true,
    });
    expect(readFileSync(path, 'utf8')).toBe('the old file, whole\n');
    expect(readdirSync(d)).toEqual(['knowledge.json']);
  });

  it('treat a write that makes no progress as a full disk rather than loop forever', () => {
    const { path } = withOld();
    const stuck: FileSystem = { ...NODE_FILE_SYSTEM, write: () => 0 };

    const r = writeFileAtomic(path, 'new', stuck);

    expect(r.ok ? null : r.error.code).toBe('ENOSPC');
    expect(readFileSync(path, 'utf8')).toBe('the old file, whole\n');
  });

  it('keep the old file when fsync reports EIO', () => {
    const { d, path } = withOld();
    const broken: FileSystem = {
      ...NODE_FILE_SYSTEM,
      fsync: () => {
        throw sysError('EIO');
      },
    };

    const r = writeFileAtomic(path, 'new', broken);

    expect(r.ok ? null : r.error.code).toBe('EIO');
    expect(readFileSync(path, 'utf8')).toBe('the old file, whole\n');
    expect(readdirSync(d)).toEqual(['knowledge.json']);
  });

  it('fsync the file and its directory before renaming', () => {
    const { path } = withOld();
    const calls: string[] = [];
    const traced: FileSystem = {
      ...NODE_FILE_SYSTEM,
      fsync: (fd) => {
        calls.push(NODE_FILE_SYSTEM.fstat(fd).isDirectory() ? 'fsync dir' : 'fsync file');
        NODE_FILE_SYSTEM.fsync(fd);
      },
      rename: (a, b) => {
        calls.push('rename');
        NODE_FILE_SYSTEM.rename(a, b);
      },
    };

    writeFileAtomic(path, 'new', traced);

    expect(calls).toEqual(['fsync file', 'fsync dir', 'rename', 'fsync dir']);
  });

  it('stop writing a file after its first failure and report that failure again', () => {
    const { path } = withOld();
    const f = AtomicFile.open(path, smallDisk(10));
    if (!f.ok) throw new Error(f.error.message);

    const first = f.value.write('0123456789abc');
    const second = f.value.write('more');

    expect([first.ok, second.ok ? null : second.error.code, f.value.failed?.code]).toEqual([
      false,
      'ENOSPC',
      'ENOSPC',
    ]);
  });
});

describe('temporary files of dead writers', () => {
  const deadPid = (): number => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    return Number(child.stdout.toString());
  };

  it('are removed by the next write in their directory', () => {
    const { d, path } = withOld();
    const stale = tempPathFor(join(d, 'journal.json'), deadPid(), 3);
    writeFileSync(stale, 'half a journal');

    writeFileAtomic(path, 'new');

    expect([existsSync(stale), readdirSync(d).sort()]).toEqual([false, ['knowledge.json']]);
  });

  it('of a live process are left alone', () => {
    const { d, path } = withOld();
    // Process 1 (init) is always alive.
    const live = tempPathFor(join(d, 'journal.json'), 1, 3);
    writeFileSync(live, 'being written');

    writeFileAtomic(path, 'new');

    expect(existsSync(live)).toBe(true);
  });
});
