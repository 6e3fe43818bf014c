import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportFile } from '../../src/cli/report-input.ts';
import { inJournalFormat, upgradeJournal } from '../../src/report/journal-versions.ts';
import { runMapek } from '../support/cli-io.ts';

describe('journals of format 1 (one record per cycle)', () => {
  let dir: string;
  let current: Record<string, unknown>;
  const path = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mapek-journal-v1-'));
    await runMapek(['run', 'scenarios/crash-during-partition.yaml', '--json', path('v2.json')]);
    current = JSON.parse(readFileSync(path('v2.json'), 'utf8')) as Record<string, unknown>;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('upgrade to exactly the journal this version writes', () => {
    const v1 = inJournalFormat(current, 'mapek-journal/1');

    expect([v1.format, 'cycles' in (v1.timeline as object)]).toEqual(['mapek-journal/1', true]);
    expect(upgradeJournal(v1)).toEqual(current);
  });

  it('replay the same, with their timeline and without one', async () => {
    // Arrange
    const v1 = inJournalFormat(current, 'mapek-journal/1');
    const { timeline: _timeline, ...bare } = v1;
    writeFileSync(path('v1.json'), JSON.stringify(v1, null, 2));
    writeFileSync(path('v1-bare.json'), JSON.stringify(bare, null, 2));

    // Act
    const withTimeline = await runMapek(['replay', path('v1.json')]);
    const without = await runMapek(['replay', path('v1-bare.json')]);

    // Assert
    expect([withTimeline.code, without.code]).toEqual([0, 0]);
    expect(withTimeline.out).toMatch(/^SAME {5}crash-during-partition/);
    expect(without.out).toMatch(/^SAME {5}crash-during-partition/);
  });

  it('still draw a report, the same page as the current journal gives', () => {
    const v1 = JSON.stringify(inJournalFormat(current, 'mapek-journal/1'));

    const page = renderReportFile(v1, 'v1.json');

    expect(page).toEqual(renderReportFile(JSON.stringify(current), 'v1.json'));
    expect(page.ok && page.value).toMatch(/MAPE-K cycles/);
  });
});
