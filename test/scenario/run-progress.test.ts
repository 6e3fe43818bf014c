import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE } from '../../scripts/trace-hashes.ts';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';

const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, string>;
const files = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('a run followed with onProgress', () => {
  // The golden file holds each scenario's hash at seed 1 run without a callback (trace-hashes.test.ts checks
  // it still does), so one run each with the callback is enough to compare.
  it.each(files)(
    '%s at seed 1 gives the trace hash it gives without a callback',
    (file) => {
      // Arrange
      const loaded = loadScenarioFile(join('scenarios', file));
      if (!loaded.ok) throw new Error(loaded.error.message);
      const calls: [number, number][] = [];

      // Act
      const run = runScenario(loaded.value.scenario, {
        seed: 1,
        onProgress: (t, end) => calls.push([t, end]),
      });

      // Assert
      if (!run.ok) throw new Error(run.error.message);
      expect(run.value.outcome.traceHash).toBe(golden[`${file}@1`]);
      const end = loaded.value.scenario.durationMs;
      expect(calls).toHaveLength(100);
      expect(calls.at(-1)).toEqual([end, end]);
      for (let i = 1; i < calls.length; i++) {
        expect(calls[i]?.[0]).toBeGreaterThanOrEqual(calls[i - 1]?.[0] ?? 0);
      }
    },
    60_000,
  );
});
