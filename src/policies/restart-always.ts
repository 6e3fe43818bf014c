import type { ActionRequest } from '../cluster/actions.ts';
import type { NodeId } from '../cluster/ids.ts';
import type { Controller, ControllerContext } from '../world/controller.ts';
import { type BackOffSettings, CrashLoopBackOff } from './crash-loop-backoff.ts';
import { every, type Periodic } from './periodic.ts';

/** The numbers `restart-always` runs on (see docs/policies.md). */
export interface RestartAlwaysSettings {
  /** Time between two looks at the cluster. */
  readonly checkPeriodMs: number;
  /** A node is down when it has missed this many heartbeat intervals. */
  readonly missedHeartbeats: number;
  /** A replica is down when the load balancer has it out of rotation, or its scraped error rate is this high. */
  readonly failingErrorRate: number;
  /** A replica is not judged for this long after it restarted, started, or its node came back. */
  readonly settleMs: number;
  readonly backOff: BackOffSettings;
}

/**
 * Defaults. The settle time is two default scrape intervals, so the first scrape judged after a restart covers
 * only time after it. The back-off is the kubelet's curve, so that this baseline differs from `kubernetes` in
 * what it restarts and how fast it notices, not in how it backs off.
 */
export const RESTART_ALWAYS_DEFAULTS: RestartAlwaysSettings = {
  checkPeriodMs: 5_000,
  missedHeartbeats: 3,
  failingErrorRate: 0.5,
  settleMs: 20_000,
  backOff: { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 },
};

/** What the baseline remembers about one node or replica. */
interface Watch {
  /** When it was first seen down since its last restart (or since it was healthy); null while it looks fine. */
  failedAtMs: number | null;
  /** Reported as down and not seen healthy since: one detection per episode. */
  inEpisode: boolean;
  /** A restart of it is running. */
  busy: boolean;
  /** Not judged before this time. */
  quietUntilMs: number;
}

const watchOf = <K>(map: Map<K, Watch>, key: K): Watch => {
  let w = map.get(key);
  if (w === undefined) {
    w = { failedAtMs: null, inEpisode: false, busy: false, quietUntilMs: 0 };
    map.set(key, w);
  }
  return w;
};

/**
 * The naive operator's script: every check period, restart whatever looks down. A node silent on heartbeats
 * is power-cycled through the cloud API (`restart-node`); a replica the load balancer has taken out of
 * rotation, or that fails most of its requests, is restarted in place. Repeated restarts of one component back
 * off as a crash loop does. It never moves, promotes, drains or scales anything.
 */
export const restartAlwaysController = (
  settings: RestartAlwaysSettings = RESTART_ALWAYS_DEFAULTS,
): Controller => {
  const nodes = new Map<NodeId, Watch>();
  const replicas = new Map<string, Watch>();
  const backOff = new CrashLoopBackOff(settings.backOff);
  /** Nodes silent at the current check (reused: no allocation per check). */
  const silent = new Set<NodeId>();
  let periodic: Periodic | null = null;
  let checks = 0;

  const start = (ctx: ControllerContext): void => {
    const { kernel, sensors } = ctx;

    /** Restarts a component that looks down, once its back-off allows. */
    const judge = (w: Watch, key: string, down: boolean, diagnosis: string, request: ActionRequest): void => {
      const now = kernel.nowMs;
      if (w.busy || now < w.quietUntilMs) return;
      if (!down) {
        w.failedAtMs = null;
        w.inEpisode = false;
        return;
      }
      if (!w.inEpisode) {
        w.inEpisode = true;
        ctx.reportDetection({ component: key, diagnosis });
      }
      if (w.failedAtMs === null) w.failedAtMs = now;
      const failedAt = w.failedAtMs;
      if (now < backOff.restartAllowedAt(key, failedAt)) return;
      backOff.recordRestart(key, failedAt, now);
      w.busy = true;
      ctx.effectors.execute(request, () => {
        w.busy = false;
        w.failedAtMs = null;
        // A booted node needs a heartbeat to be heard; a restarted replica needs clean scrapes to be judged.
        w.quietUntilMs =
          kernel.nowMs +
          (request.kind === 'restart-node'
            ? settings.missedHeartbeats * sensors.heartbeatIntervalMs
            : settings.settleMs);
      });
    };

    const check = (): void => {
      checks++;
      const now = kernel.nowMs;
      const silentMs = settings.missedHeartbeats * sensors.heartbeatIntervalMs;
      silent.clear();
      for (const node of sensors.nodeIds()) {
        const down = now - sensors.lastHeartbeatMs(node) > silentMs;
        if (down) silent.add(node);
        judge(watchOf(nodes, node), node, down, 'node-down', { kind: 'restart-node', node });
      }
      for (const p of sensors.placements()) {
        const w = watchOf(replicas, p.replica);
        if (p.starting || silent.has(p.node)) {
          // Its node's fate decides; judge it again once it has had time to come back.
          w.quietUntilMs = Math.max(w.quietUntilMs, now + settings.settleMs);
          continue;
        }
        if (w.busy || now < w.quietUntilMs) continue;
        const down =
          !p.inRotation || (sensors.replica(p.replica)?.errorRate ?? 0) >= settings.failingErrorRate;
        judge(w, p.replica, down, 'replica-down', { kind: 'restart-replica', replica: p.replica });
      }
    };

    periodic = every(kernel, settings.checkPeriodMs, check);
  };

  return {
    name: 'restart-always',
    start,
    stop: () => periodic?.stop(),
    summary: () => ({ cycles: checks }),
  };
};
