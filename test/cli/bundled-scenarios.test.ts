import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapekInProcess as mapek } from './mapek-process.ts';

// Scenarios of issue 13 whose verdict under the loop waits for its item 5 (the loop's symptoms, analysis and
// actions for overload and retry storms, built on another branch): they must run, and may fail until it lands.
// Remove a name here once the loop heals it.
const AWAITING_LOOP = new Set(['metastable-retry-storm', 'overload-queueing']);

// Runs with each scenario's own policy, the default `mapek`: this is `npm start`.
describe('the bundled scenarios', () => {
  it('all pass with the default policy', async () => {
    const names = readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));

    const r = await mapek(['run', 'scenarios']);

    expect(r.stderr).toBe('');
    for (const name of names) {
      const verdict = AWAITING_LOOP.has(name) ? '(PASS|FAIL)' : 'PASS';
      expect(r.stdout).toMatch(new RegExp(`^${verdict} {2}${name} `, 'm'));
    }
    const failed = names.filter((n) => new RegExp(`^FAIL {2}${n} `, 'm').test(r.stdout));
    expect(r.code).toBe(failed.length === 0 ? 0 : 1);
  });
});
