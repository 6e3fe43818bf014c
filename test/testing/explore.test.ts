import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/loader.ts';
import { renderCounterexample } from '../../src/testing/counterexample-file.ts';
import { replayCheck } from '../../src/testing/counterexample-replay.ts';
import { type Counterexample, explore } from '../../src/testing/explore.ts';
import type { FaultBudget } from '../../src/testing/fault-budget.ts';
import type { ScenarioInput } from '../../src/testing/scenario-input.ts';
import { loadPlanted, PLANTED } from '../support/planted.ts';

let base: ScenarioInput = {};
let budget: FaultBudget;

beforeAll(() => {
  ({ base, budget } = loadPlanted());
});

const counterexampleOf = (result: ReturnType<typeof explore>): Counterexample => {
  if (result.kind !== 'counterexample') throw new Error('expected a counterexample');
  return result.counterexample;
};

describe('explore on a planted weakness', () => {
  it('finds a violation and shrinks it to the two overlapping faults it needs', () => {
    const c = counterexampleOf(explore(base, { budget, runs: 100, seed: 7 }));

    expect(c.firstFaults.length).toBeGreaterThan(2);
    expect(c.faults).toHaveLength(2);
    expect(c.faults.map((f) => f.at)).toEqual(['0s', '0s']);
    expect(c.reason).toMatchObject({ kind: 'slo-violated', violated: [{ name: 'recovery' }] });
  });

  it('finds the same counterexample with the same seed', () => {
    const a = counterexampleOf(explore(base, { budget, runs: 100, seed: 21 }));
    const b = counterexampleOf(explore(base, { budget, runs: 100, seed: 21 }));

    expect(b.input).toEqual(a.input);
    expect(b.path).toBe(a.path);
  });

  it('goes straight to the counterexample with its seed and path', () => {
    const found = counterexampleOf(explore(base, { budget, runs: 100, seed: 21 }));

    const replayed = counterexampleOf(explore(base, { budget, runs: 100, seed: 21, path: found.path }));

    expect(replayed.faults).toEqual(found.faults);
    expect(replayed.runsToFailure).toBe(1);
  });

  it('finds nothing when faults come one at a time', () => {
    const result = explore(base, { budget: { ...budget, maxConcurrent: 1 }, runs: 60, seed: 7 });

    expect(result).toEqual({ kind: 'passed', seed: 7, runs: 60 });
  });

  it('pins the policy it searched with in the counterexample', () => {
    const c = counterexampleOf(
      explore({ ...base, controller: { policy: 'mapek' } }, { budget, runs: 100, seed: 7, policy: 'noop' }),
    );

    expect(c.input.controller).toEqual({ policy: 'noop' });
  });
});

describe('a counterexample file', () => {
  let c: Counterexample;
  let text = '';
  const origin = {
    scenarioFile: PLANTED,
    seed: 7,
    replaySearch: `npx mapek explore ${PLANTED} --seed 7 --path P`,
    replayRun: 'npx mapek run out.yaml',
    mapekVersion: '0.0.0-test',
  };

  beforeAll(() => {
    c = counterexampleOf(explore(base, { budget, runs: 100, seed: 7 }));
    text = renderCounterexample(c, { ...origin, budget });
  });

  it('opens with how it was found: seed, path, violated SLOs, both replay commands', () => {
    const header = text
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');

    expect(header).toMatch(/fast-check seed 7/);
    expect(header).toContain(`Path: ${c.path}`);
    expect(header).toMatch(/Violated SLOs: recovery\n#\s+recovery: target <= 1m, actual/);
    expect(header).toContain('Replay the violation: npx mapek run out.yaml');
    expect(header).toContain(`Replay the search:    npx mapek explore ${PLANTED} --seed 7 --path P`);
  });

  it('is an ordinary scenario with the shrunk timeline, one fault a line', () => {
    const loaded = loadScenarioText(text, 'out.yaml');

    expect(loaded.ok && loaded.value.scenario.name).toBe('two-crashes-noop-counterexample');
    expect(loaded.ok && (loaded.value.input as ScenarioInput).faults).toEqual(c.faults);
    expect(text).toMatch(/^faults:\n {2}- \{ at: 0s, kind: /m);
  });

  it('replays to the same violation and trace', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mapek-explore-')), 'out.yaml');
    writeFileSync(file, text);

    expect(replayCheck(c, file)).toBeNull();
  });

  it('is told apart when it does not replay', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mapek-explore-')), 'out.yaml');
    writeFileSync(file, text.replace(/^faults:\n(.*\n)+?slo:/m, 'faults: []\nslo:'));

    expect(replayCheck(c, file)).toMatch(/violates no SLO instead of recovery/);
  });
});
