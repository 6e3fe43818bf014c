import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/base/file-lock.ts';

const path = () => join(mkdtempSync(join(tmpdir(), 'mapek-lock-')), 'knowledge.json');

describe('file locks', () => {
  it('refuse a second holder while the first holds the lock, and free it on release', () => {
    const p = path();
    const first = acquireLock(p);

    const second = acquireLock(p);
    if (first.ok) first.value.release();
    const third = acquireLock(p);
    if (third.ok) third.value.release();

    expect([first.ok, second.ok ? null : second.error.kind, third.ok, existsSync(`${p}.lock`)]).toEqual([
      true,
      'locked',
      true,
      false,
    ]);
  });

  it('name the live process that holds it', () => {
    const p = path();
    writeFileSync(`${p}.lock`, '1\n');

    const r = acquireLock(p);

    expect(r.ok ? null : r.error.message).toBe(
      `${p} is in use by mapek process 1 (lock file ${p}.lock); wait for it to finish, or give this run its own file`,
    );
  });

  it('take over a lock left by a process that died', () => {
    const p = path();
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(`${p}.lock`, `${child.stdout.toString()}\n`);

    const r = acquireLock(p);
    if (r.ok) r.value.release();

    expect(r.ok).toBe(true);
  });
});
