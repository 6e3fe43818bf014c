import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { loadStrategyCatalogFile } from '../../src/scenario/strategy-catalog-file.ts';
import { runMapek } from '../support/cli-io.ts';

const EXAMPLE = 'docs/examples/strategies/reboot-first.yaml';

/** A copy of single-node-crash whose controller block names `catalog` (copied beside it). */
const crashWithCatalog = (catalog: string, body?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mapek-catalog-'));
  if (body === undefined) copyFileSync(catalog, join(dir, 'strategies.yaml'));
  else writeFileSync(join(dir, 'strategies.yaml'), body);
  const scenario = readFileSync('scenarios/single-node-crash.yaml', 'utf8').replace(
    'policy: mapek',
    'policy: mapek\n  strategies: ./strategies.yaml',
  );
  writeFileSync(join(dir, 'crash.yaml'), scenario);
  return join(dir, 'crash.yaml');
};

describe('a strategy catalog file', () => {
  it('reads the example into selections, causes and priors in file order', () => {
    const r = loadStrategyCatalogFile(EXAMPLE);

    expect(r.ok && r.value.strategies.map((s) => s.id)).toEqual([
      'reboot-node',
      'failover-and-reboot',
      'reschedule-replicas',
      'raise-memory-limit',
      'raise-disk-limit',
    ]);
    expect(r.ok && r.value.strategies[0]).toEqual({
      id: 'reboot-node',
      causes: ['crash'],
      prior: { successRate: 0.95, recoveryMs: 15_000 },
    });
  });

  it('refuses unknown ids, causes and out-of-range priors with file:line issues', () => {
    const file = crashWithCatalog(
      '',
      'strategies:\n  - id: reboot-nod\n  - id: scale-out\n    causes: [crashh]\n    prior: { successRate: 120% }\n',
    );

    const r = loadScenarioFile(file);

    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.error.issues.map((i) => `${i.position?.line}: ${i.path.join('.')}`);
    expect(issues).toEqual([
      '2: strategies.0.id',
      '4: strategies.1.causes.0',
      '5: strategies.1.prior.successRate',
    ]);
    expect(r.ok ? '' : r.error.issues[0]?.message).toMatch(/did you mean "reboot-node"/);
  });

  it('refuses a strategy listed twice, at the second one', () => {
    const file = crashWithCatalog(
      '',
      'strategies:\n  - id: scale-out\n  - id: shed-load\n  - id: scale-out\n',
    );

    const r = loadScenarioFile(file);

    expect(r.ok ? [] : r.error.issues.map((i) => [i.position?.line, i.message])).toEqual([
      [4, 'scale-out is listed twice'],
    ]);
  });

  it('changes what the planner does: reboot first recovers single-node-crash slower than the built-in catalog', () => {
    const withCatalog = loadScenarioFile(crashWithCatalog(EXAMPLE));
    const builtIn = loadScenarioFile('scenarios/single-node-crash.yaml');
    if (!withCatalog.ok || !builtIn.ok) throw new Error('scenarios must load');

    const a = runScenario(withCatalog.value.scenario, { seed: 1 });
    const b = runScenario(builtIn.value.scenario, { seed: 1 });

    if (!a.ok || !b.ok) throw new Error('runs must start');
    expect(a.value.verdict).toBe('fail');
    expect(b.value.verdict).toBe('pass');
    expect(a.value.outcome.actions.some((x) => x.request.kind === 'restart-node')).toBe(true);
  });

  it('replays a run that used one, from the journal', async () => {
    const file = crashWithCatalog(EXAMPLE);
    const journal = join(mkdtempSync(join(tmpdir(), 'mapek-catalog-')), 'run.json');

    await runMapek(['run', file, '--json', journal]);
    const replay = await runMapek(['replay', journal]);

    expect(replay.out).toMatch(/^SAME /m);
    expect(replay.code).toBe(0);
  });
});
