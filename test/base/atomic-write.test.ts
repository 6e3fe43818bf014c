import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeFileAtomic } from '../../src/base/atomic-write.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'mapek-atomic-'));

describe('atomic writes', () => {
  it('write the whole text and leave no temporary file', () => {
    const d = dir();
    const path = join(d, 'out.json');

    const r = writeFileAtomic(path, '{"a":1}\n');

    expect(r.ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(d)).toEqual(['out.json']);
  });

  it('replace an existing file only on commit', () => {
    const d = dir();
    const path = join(d, 'out.txt');
    writeFileSync(path, 'old');
    const f = AtomicFile.open(path);
    if (!f.ok) throw new Error(f.error.message);

    f.value.write('new ');
    f.value.write('text');
    const before = readFileSync(path, 'utf8');
    f.value.commit();

    expect([before, readFileSync(path, 'utf8')]).toEqual(['old', 'new text']);
  });

  it('leave the old file untouched when aborted', () => {
    const d = dir();
    const path = join(d, 'out.txt');
    writeFileSync(path, 'old');
    const f = AtomicFile.open(path);
    if (!f.ok) throw new Error(f.error.message);

    f.value.write('half a jour');
    f.value.abort();

    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(d)).toEqual(['out.txt']);
  });

  it('fail with a typed error naming the path when the directory does not exist', () => {
    const path = join(dir(), 'missing', 'out.json');

    const r = writeFileAtomic(path, 'x');

    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.error).toMatchObject({ kind: 'write-failed', path });
    expect(existsSync(path)).toBe(false);
  });
});
