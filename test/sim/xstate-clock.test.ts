import { describe, expect, it } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import { SimKernel } from '../../src/sim/kernel.ts';
import { actorClock } from '../../src/sim/xstate-clock.ts';

const trafficLight = setup({
  types: { context: {} as { log: string[]; now: () => number }, input: {} as { now: () => number } },
}).createMachine({
  id: 'light',
  context: ({ input }) => ({ log: [], now: input.now }),
  initial: 'green',
  states: {
    green: {
      entry: assign({ log: ({ context }) => [...context.log, `green@${context.now()}`] }),
      after: { 30000: 'yellow' },
    },
    yellow: {
      entry: assign({ log: ({ context }) => [...context.log, `yellow@${context.now()}`] }),
      after: { 5000: 'red' },
    },
    red: {
      entry: assign({ log: ({ context }) => [...context.log, `red@${context.now()}`] }),
      after: { 0: 'done' },
    },
    done: { type: 'final' },
  },
});

describe('actorClock', () => {
  it('drives XState `after` delays in sim time, including a zero delay scheduled by a firing timer', () => {
    const kernel = new SimKernel();
    const actor = createActor(trafficLight, {
      clock: actorClock(kernel),
      input: { now: () => kernel.nowMs },
    });
    actor.start();

    kernel.runUntil(35_000);

    const snapshot = actor.getSnapshot();
    expect(snapshot.status).toBe('done');
    expect(snapshot.context.log).toEqual(['green@0', 'yellow@30000', 'red@35000']);
  });

  it('does not fire a delay before its sim time has come', () => {
    const kernel = new SimKernel();
    const actor = createActor(trafficLight, {
      clock: actorClock(kernel),
      input: { now: () => kernel.nowMs },
    });
    actor.start();

    kernel.runUntil(29_999);

    expect(actor.getSnapshot().value).toBe('green');
  });

  it('cancels a pending delay when the actor leaves the state', () => {
    const kernel = new SimKernel();
    const machine = setup({ types: { events: {} as { type: 'SKIP' } } }).createMachine({
      initial: 'waiting',
      states: {
        waiting: { after: { 1000: 'timedOut' }, on: { SKIP: 'skipped' } },
        timedOut: {},
        skipped: {},
      },
    });
    const actor = createActor(machine, { clock: actorClock(kernel) });
    actor.start();

    actor.send({ type: 'SKIP' });
    kernel.runUntil(5_000);

    expect(actor.getSnapshot().value).toBe('skipped');
    expect(kernel.pendingCount).toBe(0);
  });
});
