import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapekInProcess as mapek } from './mapek-process.ts';

// Runs with each scenario's own policy, the default `mapek`: this is `npm start`.
describe('the bundled scenarios', () => {
  it('all pass with the default policy', async () => {
    const names = readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));

    const r = await mapek(['run', 'scenarios']);

    expect(r.stderr).toBe('');
    for (const name of names) expect(r.stdout).toMatch(new RegExp(`^PASS {2}${name} `, 'm'));
    expect(r.code).toBe(0);
  });
});
