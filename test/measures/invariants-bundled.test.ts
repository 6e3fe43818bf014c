import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { POLICY_NAMES } from '../../src/controllers/controller-spec.ts';
import { buildJournal } from '../../src/report/journal.ts';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { invariantsHold } from '../../src/testing/properties.ts';

const FILES = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('online invariants over the bundled scenarios', () => {
  it.each(FILES)(
    '%s breaks no invariant under any policy at seed 1',
    (file) => {
      const loaded = loadScenarioFile(`scenarios/${file}`);
      if (!loaded.ok) throw new Error(loaded.error.message);

      const found = POLICY_NAMES.flatMap((policy) => {
        const run = runScenario(loaded.value.scenario, { seed: 1, policy, checkInvariants: true });
        if (!run.ok) throw new Error(run.error.message);
        return (run.value.invariantViolations ?? []).map((v) => `${policy}: ${v.message}`);
      });

      expect(found).toEqual([]);
    },
    60_000,
  );

  it('changes nothing else: the trace hash with the checker on is the hash without it', () => {
    const loaded = loadScenarioFile('scenarios/stateful-split.yaml');
    if (!loaded.ok) throw new Error(loaded.error.message);

    const off = runScenario(loaded.value.scenario, { seed: 1 });
    const on = runScenario(loaded.value.scenario, { seed: 1, checkInvariants: true });

    expect(on.ok && off.ok && [on.value.outcome.traceHash, off.value.invariantViolations]).toEqual([
      off.ok ? off.value.outcome.traceHash : '',
      null,
    ]);
  });
});

describe('invariant violations in the journal', () => {
  it('has the field only when the run checked invariants', () => {
    const loaded = loadScenarioFile('test/fixtures/crash-noop.yaml');
    if (!loaded.ok) throw new Error(loaded.error.message);
    const journal = (checkInvariants: boolean) => {
      const run = runScenario(loaded.value.scenario, { checkInvariants });
      if (!run.ok) throw new Error(run.error.message);
      return buildJournal(run.value, loaded.value, { wallMs: 10 });
    };

    const [on, off] = [journal(true), journal(false)];

    expect([on.invariantViolations, 'invariantViolations' in off]).toEqual([[], false]);
  });
});

describe('the invariantsHold property check', () => {
  it('fails with kind invariant-violated and every violation message, and passes an empty list', () => {
    const loaded = loadScenarioFile('test/fixtures/crash-noop.yaml');
    if (!loaded.ok) throw new Error(loaded.error.message);
    const run = runScenario(loaded.value.scenario, { checkInvariants: true });
    if (!run.ok) throw new Error(run.error.message);
    const broken = {
      ...run.value,
      invariantViolations: [
        {
          invariant: 'two-writable-primaries' as const,
          atMs: 64_000,
          service: 'orders' as ServiceId,
          replicas: ['orders-1', 'orders-2'] as ReplicaId[],
          lostWrites: 0,
          message:
            'two-writable-primaries at 64000 ms in service orders: orders-1 and orders-2 all accept writes',
        },
      ],
    };

    const failure = invariantsHold(broken);

    expect(invariantsHold(run.value)).toBeNull();
    expect(failure?.kind).toBe('invariant-violated');
    expect(failure?.message).toContain('two-writable-primaries at 64000 ms in service orders');
  });
});
