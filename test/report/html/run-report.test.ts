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
    expect(count(html, 'class="panel"')).toBe(4);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it("adds the latency-tail panel once a service's series has p50 and p99 columns (the traffic model's)", () => {
    // Arrange: the columns issue 13's model will record.
    const series = (journal.timeline?.series ?? []).map((s) => ({
      ...s,
      columns: { ...s.columns, latencyP50Ms: s.t.map(() => 20), latencyP99Ms: s.t.map(() => 90) },
    }));

    // Act
    const panels = panelsFor(series).map((p) => p.id);

    // Assert
    expect(panelsFor(journal.timeline?.series ?? []).map((p) => p.id)).toEqual([
      'availability',
      'errorRate',
      'throughput',
      'latencyMean',
    ]);
    expect(panels).toEqual(['availability', 'errorRate', 'throughput', 'latencyMean', 'latencyTail']);
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
