import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/base/atomic-write.ts';

const ATOMIC = fileURLToPath(new URL('../../src/base/atomic-write.ts', import.meta.url));

describe('a writer killed with SIGKILL mid-write', () => {
  it('leaves the old file whole, and its temporary file is removed by the next write there', () => {
    const d = mkdtempSync(join(tmpdir(), 'mapek-killed-'));
    const path = join(d, 'journal.json');
    writeFileSync(path, 'the old journal\n');
    // A writer that has written half its file and dies before the rename, as kill -9 would leave it.
    const script = `import { AtomicFile } from ${JSON.stringify(ATOMIC)};
const f = AtomicFile.open(${JSON.stringify(path)});
if (f.ok) f.value.write('half a jour');
process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const left = readdirSync(d).sort();

    writeFileAtomic(join(d, 'other.json'), '{}\n');

    expect(child.signal).toBe('SIGKILL');
    expect(left.length).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('the old journal\n');
    expect(readdirSync(d).sort()).toEqual(['journal.json', 'other.json']);
  });
});
