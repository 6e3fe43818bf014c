import { describe, expect, it } from 'vitest';
import { renderRunReport } from '../../../src/report/html/run-report.ts';
import { panelsFor } from '../../../src/report/html/timeline-chart.ts';
import type { Journal } from '../../../src/report/journal.ts';
import { recordedRun } from './support.ts';

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('the run report page', () => {
  const { journal } = recordedRun('crash-during-partition.yaml');

  it('draws one band per fault, one marker per action and per detection, and a panel per recorded metric', () => {
    // Act
    const html = renderRunReport(journal);

    // Assert
    expect(count(html, 'class="fault-band"')).toBe(journal.faults.length);
    expect(count(html, 'class="action-marker"')).toBe(journal.timeline?.actions.length);
    expect(count(html, 'class="detection-marker"')).toBe(journal.timeline?.detections.length);
    expect(count(html, 'class="panel"')).toBe(9);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it("draws the queueing model's panels from the series' columns, and only those a journal carries", () => {
    // Arrange: a journal written before the queueing model, without its columns.
    const QUEUEING = ['latencyP50Ms', 'latencyP99Ms', 'goodputRps', 'backlog', 'timeoutRate', 'retryRate'];
    const old = (journal.timeline?.series ?? []).map((s) => ({
      ...s,
      columns: Object.fromEntries(Object.entries(s.columns).filter(([k]) => !QUEUEING.includes(k))),
    }));

    // Act
    const panels = panelsFor(journal.timeline?.series ?? []).map((p) => p.id);
    const oldPanels = panelsFor(old).map((p) => p.id);

    // Assert
    expect(panels).toEqual([
      'availability',
      'errorRate',
      'throughput',
      'goodput',
      'latencyMean',
      'latencyTail',
      'backlog',
      'timeouts',
      'retries',
    ]);
    expect(oldPanels).toEqual(['availability', 'errorRate', 'throughput', 'latencyMean']);
  });

  it('draws a journal written before timelines from its faults alone, and says so', () => {
    // Arrange
    const { timeline: _timeline, ...old } = journal;

    // Act
    const html = renderRunReport(old as Journal);

    // Assert
    const attributed = new Set(journal.faults.flatMap((f) => f.actions.map((a) => a.id)));
    expect(count(html, 'class="fault-band"')).toBe(journal.faults.length);
    expect(count(html, 'class="action-marker"')).toBe(attributed.size);
    expect(count(html, 'class="panel"')).toBe(0);
    expect(html).toContain('This journal has no timeline');
  });

  it('escapes what the scenario author wrote', () => {
    // Arrange
    const hostile = {
      ...journal,
      scenario: { ...journal.scenario, name: '<img src=x onerror=alert(1)>', description: '"&' },
    };

    // Act
    const html = renderRunReport(hostile);

    // Assert
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
