import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputPaths } from '../../src/base/output-paths.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'mapek-outputs-'));

const refusals = (r: ReturnType<typeof checkOutputPaths>): string[] =>
  r.ok ? [] : r.error.map((i) => i.message);

describe('output paths', () => {
  it('accept a new file and an existing regular file, written where they are', () => {
    const d = dir();
    writeFileSync(join(d, 'old.json'), '{}');

    const r = checkOutputPaths([
      { flag: '--json', path: join(d, 'old.json') },
      { flag: '--junit', path: join(d, 'new.xml') },
    ]);

    expect(r.ok ? [...r.value.entries()] : r.error).toEqual([
      ['--json', join(d, 'old.json')],
      ['--junit', join(d, 'new.xml')],
    ]);
  });

  it('refuse a character device, a FIFO, a directory and an empty path, all at once', () => {
    const d = dir();
    execFileSync('mkfifo', [join(d, 'fifo')]);
    mkdirSync(join(d, 'sub'));

    const r = checkOutputPaths([
      { flag: '--json', path: '/dev/null' },
      { flag: '--junit', path: join(d, 'fifo') },
      { flag: '--trace', path: join(d, 'sub') },
      { flag: '--knowledge', path: '' },
    ]);

    expect(refusals(r)).toEqual([
      'cannot write /dev/null (--json): it is a character device; outputs are written only to regular files (or to a new file)',
      `cannot write ${join(d, 'fifo')} (--junit): it is a named pipe (FIFO); outputs are written only to regular files (or to a new file)`,
      `cannot write ${join(d, 'sub')} (--trace): it is a directory; outputs are written only to regular files (or to a new file)`,
      'cannot write "" (--knowledge): an empty path names no file',
    ]);
  });

  it('refuse an output that is an input, through another spelling of its path or a hard link', () => {
    const d = dir();
    const scenario = join(d, 's.yaml');
    writeFileSync(scenario, 'name: s');
    execFileSync('ln', [scenario, join(d, 'hard.yaml')]);

    const r = checkOutputPaths(
      [
        { flag: '--json', path: join(d, 'sub', '..', 's.yaml') },
        { flag: '--junit', path: join(d, 'hard.yaml') },
      ],
      [{ what: 'a scenario', path: scenario }],
    );

    expect(refusals(r).map((m) => m.includes(`it is a scenario (${scenario})`))).toEqual([true, true]);
  });

  it('refuse two outputs that are one file, even one not created yet', () => {
    const d = dir();

    const r = checkOutputPaths([
      { flag: '--json', path: join(d, 'out') },
      { flag: '--trace', path: join(d, '.', 'out') },
    ]);

    expect(refusals(r)).toEqual([
      `cannot write ${join(d, '.', 'out')} (--trace): it is also the --json output; give each output its own file`,
    ]);
  });

  it('write through a symlink to its target, and refuse a dangling one', () => {
    const d = dir();
    writeFileSync(join(d, 'target.json'), 'old');
    symlinkSync(join(d, 'target.json'), join(d, 'link.json'));
    symlinkSync(join(d, 'nowhere'), join(d, 'dangling.json'));

    const r = checkOutputPaths([
      { flag: '--json', path: join(d, 'link.json') },
      { flag: '--junit', path: join(d, 'dangling.json') },
    ]);

    expect(refusals(r)).toEqual([
      `cannot write ${join(d, 'dangling.json')} (--junit): it is a symbolic link to a file that does not exist (dangling); name the target`,
    ]);
    expect(readFileSync(join(d, 'link.json'), 'utf8')).toBe('old');
  });

  it('resolve a symlink to its target file', () => {
    const d = dir();
    writeFileSync(join(d, 'target.json'), 'old');
    symlinkSync(join(d, 'target.json'), join(d, 'link.json'));

    const r = checkOutputPaths([{ flag: '--json', path: join(d, 'link.json') }]);

    expect(r.ok ? r.value.get('--json') : null).toBe(join(d, 'target.json'));
  });

  it('refuse a file in a directory that does not exist, and take a directory output that does not yet', () => {
    const d = dir();

    const r = checkOutputPaths([
      { flag: '--json', path: join(d, 'missing', 'out.json') },
      { flag: '--out', path: join(d, 'results', 'deep'), type: 'directory' },
    ]);

    expect(refusals(r)).toEqual([
      `cannot write ${join(d, 'missing', 'out.json')} (--json): no such directory ${join(d, 'missing')}`,
    ]);
  });
});
