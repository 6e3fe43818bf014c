import type { Cluster } from '../cluster/cluster.ts';
import type { ProcessEffect } from '../cluster/replicas/process-state.ts';
import type { NodeRuntime, Replica } from '../cluster/runtime/records.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { ProcessFaultParams } from './process-targets.ts';
import type { RandomFaults, TargetSpec } from './spec.ts';

type Kind = ProcessFaultParams['kind'];
type ParamsOf<K extends Kind> = Extract<ProcessFaultParams, { kind: K }>;

/** A process fault being injected: the replicas it landed in (its nodes are theirs). */
interface ProcessInjection<P> {
  readonly id: string;
  readonly params: P;
  readonly targets: readonly NodeRuntime[];
  readonly replicas?: readonly Replica[];
}

/** A process fault's catalog row (the same shape as the catalog's `FaultDefinition`). */
interface ProcessFaultRow<K extends Kind> {
  readonly summary: string;
  readonly clearedByReboot: (params: ParamsOf<K>) => boolean;
  readonly clearedByNodeUp: boolean;
  readonly inject: (
    ctx: { readonly cluster: Cluster; readonly nowMs: number },
    f: ProcessInjection<ParamsOf<K>>,
  ) => void;
  readonly clear: (
    ctx: { readonly cluster: Cluster; readonly nowMs: number },
    f: ProcessInjection<ParamsOf<K>>,
    nodes: readonly NodeRuntime[],
  ) => void;
  readonly random: (
    rng: RandomStream,
    gen: RandomFaults,
    durationMs: number,
    target: TargetSpec,
  ) => ParamsOf<K>;
}

/** The effect a process fault puts in each replica it lands in, and whether it ships a new version. */
const EFFECTS: { readonly [K in Kind]: (p: ParamsOf<K>) => { effect: ProcessEffect; newVersion: boolean } } =
  {
    'process-hang': () => ({ effect: { kind: 'hang' }, newVersion: false }),
    'crash-loop': (p) => ({
      effect: { kind: 'crash-loop', exitAfterMs: p.exitAfterMs },
      newVersion: p.newVersion,
    }),
    'bad-deploy': (p) => ({
      effect: { kind: 'bad-build', latencyFactor: p.latencyFactor, errorRate: p.errorRate },
      newVersion: true,
    }),
    'process-memory-leak': (p) => ({
      effect: { kind: 'leak', mbPerMs: p.mbPerMinute / 60_000 },
      newVersion: p.newVersion,
    }),
  };

const row = <K extends Kind>(
  kind: K,
  summary: string,
  random: ProcessFaultRow<K>['random'],
): ProcessFaultRow<K> => ({
  summary,
  // A node's reboot restarts its processes: the process model itself ends a hang then, and nothing else.
  clearedByReboot: () => false,
  clearedByNodeUp: false,
  inject: ({ cluster }, f) => {
    const { effect, newVersion } = EFFECTS[kind](f.params);
    cluster.processes.apply(f.id, f.replicas ?? [], effect, newVersion);
  },
  clear: ({ cluster }, f) => cluster.processes.clear(f.id, f.replicas ?? []),
  random,
});

/**
 * The process faults' rows of the fault catalog. Their targets resolve to replicas (src/chaos/process-targets.ts);
 * a generated one lands in one replica drawn on the drawn node. Ranges drawn: a crash-loop exits 5 to 60 s into
 * each run (a bad config fails at start-up or on its first requests); a bad deploy slows 2x to 6x and fails 5 %
 * to 50 % of what it serves; a leak fills a container's default 384 MB of headroom in 4 to 20 min.
 */
export const PROCESS_FAULT_ROWS: { readonly [K in Kind]: ProcessFaultRow<K> } = {
  'process-hang': row(
    'process-hang',
    'a replica stops answering (a deadlock): its requests time out, its probes fail, its node stays healthy; a restart cures it',
    (_rng, _gen, durationMs, target) => ({ kind: 'process-hang', target, durationMs }),
  ),
  'crash-loop': row(
    'crash-loop',
    'a replica exits soon after each start (a bad build or config): a restart does not cure it, a rollback does',
    (rng, _gen, durationMs, target) => ({
      kind: 'crash-loop',
      target,
      exitAfterMs: Math.round(rng.uniform(5_000, 60_000)),
      newVersion: true,
      durationMs,
    }),
  ),
  'bad-deploy': row(
    'bad-deploy',
    'a new version on some replicas of a service answers slower and with errors; a rollback cures it',
    (rng, _gen, durationMs, target) => {
      // Drawn in a fixed order, so one parameter never shifts the others.
      const latencyFactor = rng.uniform(2, 6);
      const errorRate = rng.uniform(0.05, 0.5);
      return {
        kind: 'bad-deploy',
        target,
        replicas: { kind: 'count', count: 1 },
        latencyFactor,
        errorRate,
        durationMs,
      };
    },
  ),
  'process-memory-leak': row(
    'process-memory-leak',
    "a replica's working set grows until its container's limit, where the OOM killer ends it; it starts over after each restart",
    (rng, _gen, durationMs, target) => ({
      kind: 'process-memory-leak',
      target,
      mbPerMinute: rng.uniform(384 / 20, 384 / 4),
      newVersion: false,
      durationMs,
    }),
  ),
};
