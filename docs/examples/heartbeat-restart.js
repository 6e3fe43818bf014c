// @ts-check
/**
 * A user controller for mapek: restart a node whose heartbeat has been missing for N heartbeat intervals.
 *
 *   mapek run scenarios/single-node-crash.yaml --policy docs/examples/heartbeat-restart.js
 *   mapek bench --policies mapek docs/examples/heartbeat-restart.js --quick
 *
 * Plain JavaScript with JSDoc types from the package: no build step, and `// @ts-check` still catches
 * mistakes in an editor. See docs/custom-controllers.md.
 */

/** @typedef {import('mapek').Controller} Controller */
/** @typedef {import('mapek').ControllerContext} ControllerContext */
/** @typedef {import('mapek').ControllerSetup} ControllerSetup */

/** Heartbeat intervals a node may miss before it is restarted. */
const MISSED_HEARTBEATS = 3;
/** How often the controller looks, in simulated ms. */
const CHECK_EVERY_MS = 5_000;

/**
 * The factory mapek calls once per run. Every bit of state lives in here, never at module scope, so two
 * runs (or two seeds in one process) cannot see each other.
 * @param {ControllerSetup} _setup
 * @returns {Controller}
 */
export default function heartbeatRestart(_setup) {
  /** Nodes with a restart in flight, so one silence gives one restart. @type {Set<string>} */
  const restarting = new Set();
  /** @type {import('mapek').TimerHandle | null} */
  let timer = null;
  /** @type {import('mapek').SimKernel | null} */
  let clock = null;
  let checks = 0;

  return {
    name: 'heartbeat-restart',
    /** @param {ControllerContext} ctx */
    start(ctx) {
      const { kernel, sensors, effectors } = ctx;
      clock = kernel;
      const check = () => {
        checks++;
        const silentMs = MISSED_HEARTBEATS * sensors.heartbeatIntervalMs;
        for (const node of sensors.nodeIds()) {
          if (restarting.has(node)) continue;
          if (kernel.nowMs - sensors.lastHeartbeatMs(node) <= silentMs) continue;
          restarting.add(node);
          ctx.reportDetection({ component: node, diagnosis: 'node-down' });
          effectors.execute({ kind: 'restart-node', node }, () => {
            // Give the booted node one full window to be heard before judging it again.
            kernel.after(silentMs, () => restarting.delete(node));
          });
        }
        timer = kernel.after(CHECK_EVERY_MS, check);
      };
      timer = kernel.after(CHECK_EVERY_MS, check);
    },
    stop() {
      if (timer !== null) clock?.cancel(timer);
    },
    summary() {
      return { cycles: checks };
    },
  };
}
