import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMapek } from '../../support/cli-io.ts';

describe('mapek report and the report flags of mapek run', () => {
  let dir: string;
  const out = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mapek-report-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the page, the spans and the inspection of a run, with the trace hash of a plain run', async () => {
    // Arrange
    const plain = await runMapek([
      'run',
      'scenarios/crash-during-partition.yaml',
      '--json',
      out('plain.json'),
    ]);

    // Act
    const flagged = await runMapek([
      'run',
      'scenarios/crash-during-partition.yaml',
      '--json',
      out('run.json'),
      '--html',
      out('run.html'),
      '--otel',
      out('otel.json'),
      '--inspect',
      out('inspect.json'),
    ]);

    // Assert
    expect([plain.code, flagged.code]).toEqual([0, 0]);
    const hash = (f: string) => JSON.parse(readFileSync(out(f), 'utf8')).traceHash;
    expect(hash('run.json')).toBe(hash('plain.json'));
    expect(readFileSync(out('run.html'), 'utf8')).toMatch(/^<!doctype html>[\s\S]*class="fault-band"/);
    expect(JSON.parse(readFileSync(out('otel.json'), 'utf8')).resourceSpans).toHaveLength(1);
    expect(JSON.parse(readFileSync(out('inspect.json'), 'utf8'))[0]).toMatchObject({
      type: '@xstate.actor',
      sessionId: 'loop',
    });
  });

  it('draws a journal file, and the page is the one --html wrote', async () => {
    // Arrange: the journal of the run above (its page named the journal file in the replay command).
    const journal = out('run.json');

    // Act
    const r = await runMapek(['report', journal, '-o', out('from-journal.html')]);

    // Assert
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${out('from-journal.html')}\n`);
    const page = readFileSync(out('from-journal.html'), 'utf8');
    expect(page).toContain(`mapek replay ${journal}`);
    expect(page.replace(/<pre class="cmd">mapek replay [^<]*<\/pre>/, '')).toBe(
      readFileSync(out('run.html'), 'utf8'),
    );
  });

  it('draws a sweep of seeds and a benchmark', async () => {
    // Act
    const sweep = await runMapek([
      'run',
      'scenarios/single-node-crash.yaml',
      '--seeds',
      '1..3',
      '--html',
      out('sweep.html'),
    ]);
    const bench = await runMapek(['report', 'bench/results/recovery.json', '-o', out('bench.html')]);

    // Assert
    expect([sweep.code, bench.code]).toEqual([0, 0]);
    const page = readFileSync(out('sweep.html'), 'utf8');
    expect(page).toContain('Worst seeds');
    expect(page).toContain('mapek run scenarios/single-node-crash.yaml --seed 1 --policy mapek');
    expect(readFileSync(out('bench.html'), 'utf8')).toContain('oracle bound');
  });

  it('refuses what it cannot draw with exit 2, naming the file and the field, and writes nothing', async () => {
    // Arrange
    writeFileSync(out('not-json.json'), '{');
    writeFileSync(out('foreign.json'), '{"format":"something/9"}');
    const journal = JSON.parse(readFileSync(out('run.json'), 'utf8'));
    writeFileSync(out('broken.json'), JSON.stringify({ ...journal, faults: [{ id: 'f1' }] }));

    // Act
    const results = await Promise.all(
      ['not-json.json', 'foreign.json', 'broken.json', 'missing.json'].map((f) =>
        runMapek(['report', out(f), '-o', out(`${f}.html`)]),
      ),
    );

    // Assert
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(results[0]?.err).toMatch(/not-json\.json: not JSON/);
    expect(results[1]?.err).toMatch(
      /format "something\/9" is neither mapek-journal\/2, mapek-journal\/1 nor mapek-bench\/1/,
    );
    expect(results[2]?.err).toMatch(/broken\.json: not a drawable journal: faults\.0\.kind/);
    expect(results[3]?.err).toMatch(/cannot read .*missing\.json/);
    expect(results.every((r) => !r.err.includes('    at '))).toBe(true);
    expect(['not-json', 'foreign', 'broken', 'missing'].some((f) => existsSync(out(`${f}.json.html`)))).toBe(
      false,
    );
  });

  it('refuses an --html path it cannot write before running anything', async () => {
    // Act
    const r = await runMapek([
      'run',
      'scenarios/crash-during-partition.yaml',
      '--html',
      join(dir, 'no-such-dir', 'x.html'),
    ]);

    // Assert
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});
