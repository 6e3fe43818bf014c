import type { SimKernel, TimerHandle } from '../sim/kernel.ts';

/** A periodic task on the sim clock that can be stopped. */
export interface Periodic {
  stop(): void;
}

/** The first instant strictly after `nowMs` that is `phaseMs` past a multiple of `periodMs`. */
export const nextPhaseAt = (nowMs: number, periodMs: number, phaseMs: number): number => {
  const k = Math.floor((nowMs - phaseMs) / periodMs) + 1;
  return phaseMs + k * periodMs;
};

/**
 * Runs `tick` every `periodMs` of sim time, at the instants `phaseMs` past each multiple of the period.
 * One kernel event per period, whatever the cluster size: baselines scan their whole view in one tick.
 */
export const every = (kernel: SimKernel, periodMs: number, tick: () => void, phaseMs = 0): Periodic => {
  let handle: TimerHandle | null = null;
  let stopped = false;
  const fire = () => {
    handle = null;
    if (stopped) return;
    tick();
    // Scheduled after the tick body, so events the tick schedules for this instant keep their order.
    if (!stopped) handle = kernel.after(periodMs, fire);
  };
  handle = kernel.at(nextPhaseAt(kernel.nowMs, periodMs, phaseMs), fire);
  return {
    stop: () => {
      stopped = true;
      if (handle !== null) kernel.cancel(handle);
      handle = null;
    },
  };
};
