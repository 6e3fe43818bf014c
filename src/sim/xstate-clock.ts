import type { SimKernel, TimerHandle } from './kernel.ts';

/** The clock shape XState v5 accepts in `createActor(logic, { clock })`. */
export interface ActorClock {
  setTimeout(fn: () => void, timeoutMs: number): TimerHandle;
  clearTimeout(id: TimerHandle): void;
}

/**
 * Runs XState `after` delays and delayed sends on the simulation kernel, so actor time is sim time.
 * XState's own SimulatedClock is not used: it misses timers scheduled by timers within one increment.
 */
export const actorClock = (kernel: SimKernel): ActorClock => ({
  setTimeout: (fn, timeoutMs) => kernel.after(timeoutMs, fn),
  clearTimeout: (id) => kernel.cancel(id),
});
