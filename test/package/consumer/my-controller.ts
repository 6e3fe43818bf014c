// A user's controller written in TypeScript against the package's exported types only.
import {
  type ActionRequest,
  type Controller,
  type ControllerContext,
  type ControllerSetup,
  defineController,
  type TimerHandle,
} from 'mapek';

export default defineController((setup: ControllerSetup): Controller => {
  let timer: TimerHandle | null = null;
  let cycles = 0;
  let stopClock: ((h: TimerHandle) => void) | null = null;
  return {
    name: `restart-silent-${setup.seed}`,
    start(ctx: ControllerContext): void {
      const stream = ctx.random('policy');
      const tick = (): void => {
        cycles++;
        for (const node of ctx.sensors.nodeIds()) {
          if (ctx.kernel.nowMs - ctx.sensors.lastHeartbeatMs(node) < 3 * ctx.sensors.heartbeatIntervalMs)
            continue;
          const request: ActionRequest = { kind: 'restart-node', node };
          ctx.effectors.execute(request, (outcome) => void outcome);
        }
        timer = ctx.kernel.after(setup.mapek.cycleIntervalMs + stream.int(0, 100), tick);
      };
      stopClock = (h) => ctx.kernel.cancel(h);
      timer = ctx.kernel.after(setup.mapek.cycleIntervalMs, tick);
    },
    stop: () => {
      if (timer !== null) stopClock?.(timer);
    },
    summary: () => ({ cycles }),
  };
});
