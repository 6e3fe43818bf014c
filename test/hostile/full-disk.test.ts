import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runMapek } from '../support/cli-io.ts';

const CRASH = fileURLToPath(new URL('../fixtures/crash-noop.yaml', import.meta.url));

/** A 64 KiB tmpfs, or the reason there is none here (not root, no mount in this container). */
const mountSmallDisk = (): { dir: string } | { skip: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'mapek-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (e) {
    rmdirSync(dir);
    return { skip: `cannot mount a small tmpfs here (${e instanceof Error ? e.message.split('\n')[0] : e})` };
  }
};

/** Fills the file system holding `dir` to the last byte. */
const fill = (dir: string): void => {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4096'], { stdio: 'ignore' });
  } catch {
    // dd stops with ENOSPC: that is the point.
  }
};

const disk = mountSmallDisk();

afterAll(() => {
  if ('dir' in disk) {
    execFileSync('umount', [disk.dir]);
    rmdirSync(disk.dir);
  }
});

describe('a full disk', () => {
  it.skipIf('skip' in disk)(
    `keeps the old journal and knowledge file, removes the temporary files and exits non-zero${'skip' in disk ? `: skipped, ${disk.skip}` : ''}`,
    async () => {
      if (!('dir' in disk)) return;
      const dir = disk.dir;
      const k = join(dir, 'k.json');
      await runMapek(['run', CRASH, '--policy', 'mapek', '--knowledge', k]);
      const oldKnowledge = readFileSync(k, 'utf8');
      writeFileSync(join(dir, 'j.json'), 'the old journal\n');
      writeFileSync(join(dir, 'spare'), Buffer.alloc(4096));
      fill(dir);
      // One page free: room for the knowledge file's lock, none for a journal or a knowledge file.
      rmSync(join(dir, 'spare'));

      const r = await runMapek([
        'run',
        CRASH,
        '--policy',
        'mapek',
        '--knowledge',
        k,
        '--json',
        join(dir, 'j.json'),
      ]);

      expect(r.code).toBe(2);
      expect(r.err).toContain(`cannot write ${k}: the disk is full`);
      expect(r.err).toContain(`cannot write ${join(dir, 'j.json')}: the disk is full`);
      expect(readFileSync(k, 'utf8')).toBe(oldKnowledge);
      expect(readFileSync(join(dir, 'j.json'), 'utf8')).toBe('the old journal\n');
      expect(readdirSync(dir).sort()).toEqual(['filler', 'j.json', 'k.json']);
    },
  );
});
