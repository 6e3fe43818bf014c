import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBenchReport } from '../../../src/bench/bench-page.ts';
import { renderRunReport } from '../../../src/report/html/run-report.ts';
import { renderSweepReport } from '../../../src/report/html/sweep-report.ts';
import { recordedRun } from './support.ts';

/** Debian's chromium (apt-get install chromium; .ci/run installs it when missing). */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (CHROMIUM === undefined) {
  console.warn(
    'SKIPPED the HTML report browser tests: no chromium at /usr/bin/chromium (apt-get install -y chromium)',
  );
}

/** Where the pages and the screenshot go: git-ignored test output. */
const OUT = resolve('out/test/report');

/** A page loaded from a file, with every console error, page error and request it made. */
const load = async (context: BrowserContext, file: string, width = 1366) => {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
};

describe.skipIf(CHROMIUM === undefined)('the HTML report in a real browser', () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'mapek-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      ...(CHROMIUM === undefined ? {} : { executablePath: CHROMIUM }),
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('draws a run: one band per fault, one marker per action, no console error, no request', async () => {
    // Arrange: a partition and a crash, healed by the loop.
    const { journal } = recordedRun('crash-during-partition.yaml');
    const file = join(OUT, 'run.html');
    writeFileSync(file, renderRunReport(journal, { journalFile: 'run.json' }));
    const actions = journal.timeline?.actions.length ?? 0;

    // Act
    const { page, errors, requests } = await load(context, file);
    const attrs = (selector: string, name: string) =>
      page.locator(selector).evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);
    const counts = {
      bands: await attrs('.fault-band', 'data-fault'),
      actions: await page.locator('.action-marker').count(),
      detections: await page.locator('.detection-marker').count(),
      panels: await attrs('.panel', 'data-panel'),
      sloLines: await page.locator('.slo-line').count(),
      overflow: await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      ),
      faultRows: await page.locator('table.faults tbody tr').count(),
      replay: await page.locator('pre.cmd').first().textContent(),
    };
    await page.screenshot({ path: join(OUT, 'run.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });

    // Assert
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(counts.bands).toEqual(journal.faults.map((f) => f.id));
    expect(actions).toBeGreaterThan(0);
    expect(counts.actions).toBe(actions);
    expect(counts.detections).toBe(journal.timeline?.detections.length);
    expect(counts.panels).toEqual([
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
    expect(counts.sloLines).toBeGreaterThan(0);
    expect(counts.overflow).toBeLessThanOrEqual(0);
    expect(counts.faultRows).toBe(journal.faults.length);
    expect(counts.replay).toBe(
      `mapek run scenarios/crash-during-partition.yaml --seed ${journal.seed} --policy mapek`,
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('draws a sweep and a benchmark with no console error and no request', async () => {
    // Arrange
    const sweep = [1, 2, 3].map((seed) => recordedRun('single-node-crash.yaml', { seed }).journal);
    const { readFileSync } = await import('node:fs');
    const bench = JSON.parse(readFileSync('bench/results/recovery.json', 'utf8'));
    const sweepFile = join(OUT, 'sweep.html');
    const benchFile = join(OUT, 'bench.html');
    writeFileSync(sweepFile, renderSweepReport(sweep));
    writeFileSync(benchFile, renderBenchReport(bench));

    // Act
    const s = await load(context, sweepFile);
    const sweepCounts = {
      histograms: await s.page.locator('figure.hist svg').count(),
      worst: await s.page.locator('table.worst tbody tr').count(),
    };
    const b = await load(context, benchFile, 1024);
    const benchCounts = {
      scenarios: await b.page.locator('section.bench-scenario').count(),
      oracle: await b.page.locator('.oracle-bound').count(),
    };

    // Assert
    expect([...s.errors, ...b.errors]).toEqual([]);
    expect([...s.requests, ...b.requests]).toEqual([]);
    expect(sweepCounts).toEqual({ histograms: 2, worst: 3 });
    expect(benchCounts.scenarios).toBe(bench.scenarios.length);
    expect(benchCounts.oracle).toBeGreaterThan(0);
  });
});
