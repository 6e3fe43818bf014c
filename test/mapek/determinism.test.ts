import { describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/controllers/registry.ts';
import { buildWorld, chaoticWorld } from '../support/world.ts';

const chaotic = { ...chaoticWorld('5m') };

const HOURS = 2;

const run = (seed: number) => {
  const { world, scenario } = buildWorld(chaotic, seed, true);
  world.attach(POLICIES.mapek(scenario.controller, {}));
  world.runUntil(HOURS * 3_600_000);
  return { outcome: world.outcome(), lines: world.trace.recordedLines };
};

describe('determinism with the MAPE-K loop attached', () => {
  it('the same seed gives the same trace hash, random chaos and all', () => {
    const first = run(42);
    const second = run(42);

    expect(first.outcome.faults.length).toBeGreaterThan(5);
    expect(first.outcome.actions.length).toBeGreaterThan(5);
    expect(second.outcome.traceHash).toBe(first.outcome.traceHash);
    expect(second.outcome.events).toBe(first.outcome.events);
  });

  it('another seed gives another trace', () => {
    expect(run(43).outcome.traceHash).not.toBe(run(42).outcome.traceHash);
  });

  it('every event the actors exchange is in the trace, by systemId and sim time, with no session ids', () => {
    const { lines } = run(42);

    const events = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.kind === 'mapek.event');
    const pairs = new Set(events.map((e) => `${String(e.source)}->${String(e.target)}`));
    for (const pair of [
      'loop->monitor',
      'monitor->loop',
      'loop->analyze',
      'analyze->loop',
      'loop->plan',
      'plan->loop',
      'loop->execute',
      'execute->loop',
      'loop->knowledge',
      'analyze->knowledge',
      'execute->knowledge',
      'effectors->execute',
    ]) {
      expect(pairs).toContain(pair);
    }
    expect(events.every((e) => typeof e.t === 'number')).toBe(true);
    expect(lines.some((l) => /"x:\d+"|sessionId|startedAt"/.test(l))).toBe(false);
  });
});
