import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { describe, expect, it } from 'vitest';
import { serializeInspection } from '../../src/mapek/inspection.ts';
import { loadScenarioFile } from '../../src/scenario/loader.ts';
import { runScenario } from '../../src/scenario/runner.ts';
import { SIM_EPOCH_MS } from '../../src/sim/sim-epoch.ts';

const scenario = () => {
  const loaded = loadScenarioFile('scenarios/crash-during-partition.yaml');
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value.scenario;
};

const TYPES = new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']);

/** Reads an inspection file back as @statelyai/inspect's events, checking each field its types declare. */
const readInspection = (text: string): StatelyInspectionEvent[] => {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error('not an array');
  return data.map((e: unknown, i): StatelyInspectionEvent => {
    if (typeof e !== 'object' || e === null) throw new Error(`${i}: not an object`);
    const r = e as Record<string, unknown>;
    for (const k of ['sessionId', 'createdAt', 'id', '_version'] as const) {
      if (typeof r[k] !== 'string') throw new Error(`${i}.${k}: not a string`);
    }
    if (typeof r.type !== 'string' || !TYPES.has(r.type)) throw new Error(`${i}.type: ${String(r.type)}`);
    if (r.type === '@xstate.actor' && (typeof r.name !== 'string' || typeof r.snapshot !== 'object')) {
      throw new Error(`${i}: an actor event needs a name and a snapshot`);
    }
    if (r.type !== '@xstate.actor' && typeof (r.event as { type?: unknown } | undefined)?.type !== 'string') {
      throw new Error(`${i}.event.type: not a string`);
    }
    return e as StatelyInspectionEvent;
  });
};

describe("the loop's actors as @statelyai/inspect events", () => {
  const plain = runScenario(scenario(), {});
  const inspected = runScenario(scenario(), { inspect: true });
  if (!plain.ok || !inspected.ok) throw new Error('the scenario did not run');
  const events = inspected.value.inspection ?? [];
  const file = serializeInspection(events);

  it('announces the loop and its five phase actors first, named by systemId', () => {
    const actors = events.filter((e) => e.type === '@xstate.actor');
    expect(actors.map((e) => [e.sessionId, e.parentId])).toEqual([
      ['loop', undefined],
      ['knowledge', 'loop'],
      ['monitor', 'loop'],
      ['analyze', 'loop'],
      ['plan', 'loop'],
      ['execute', 'loop'],
    ]);
  });

  it("records the events the actors exchange and the loop statechart's snapshots", () => {
    const received = new Set(
      events
        .filter((e) => e.type === '@xstate.event')
        .map((e) => `${e.sourceId}>${e.sessionId} ${e.event.type}`),
    );
    expect([...received]).toEqual(
      expect.arrayContaining([
        // The monitor's beat hands a busy cycle to the statechart from outside any actor.
        'undefined>loop monitor.done',
        'loop>analyze analyze.run',
        'loop>execute execute.run',
      ]),
    );
    const states = new Set(
      events.flatMap((e) =>
        e.type === '@xstate.snapshot' && e.sessionId === 'loop'
          ? [JSON.stringify((e.snapshot as { value?: unknown }).value)]
          : [],
      ),
    );
    expect([...states].sort()).toEqual(['"analyzing"', '"executing"', '"idle"', '"planning"']);
  });

  it('stamps events in sim time and leaks no session id, wall clock or runtime', () => {
    const times = events.map((e) => Number(e.createdAt) - SIM_EPOCH_MS);
    expect(
      times.every((t, i) => t >= 0 && t <= inspected.value.scenario.durationMs && t >= (times[i - 1] ?? 0)),
    ).toBe(true);
    expect(file).not.toMatch(/"x:\d+"/);
    expect(file).not.toMatch(/startedAt"/);
    expect(file).not.toMatch(/"runtime"/);
  });

  it('is a file @statelyai/inspect types accept, the same for the same run, and leaves the trace as it was', () => {
    expect(readInspection(file)).toEqual(JSON.parse(file));
    const again = runScenario(scenario(), { inspect: true });
    expect(again.ok && serializeInspection(again.value.inspection ?? [])).toBe(file);
    expect(inspected.value.outcome.traceHash).toBe(plain.value.outcome.traceHash);
    expect(plain.value.inspection).toBeNull();
    expect(plain.value.timeline).toBeNull();
  });
});
