import type { NodeId, ServiceId } from '../cluster/ids.ts';
import type { KnownFailure } from './analysis-input.ts';
import { FLAPPING, type NodeHistory } from './flapping.ts';
import type {
  DetectedFailure,
  FailureType,
  LoadEstimate,
  RecoveryOutcome,
  RootCause,
  StrategyId,
} from './types.ts';

/** What knowledge has learned about one strategy against one failure type. */
export interface OutcomeStats {
  readonly failureType: FailureType;
  readonly strategy: StrategyId;
  readonly attempts: number;
  readonly successes: number;
  /** Sum of the recovery times of the successes (for the mean). */
  readonly totalRecoveryMs: number;
}

/** Where a known failure stands. */
export type FailureStatus =
  /** Reported, no recovery yet. */
  | 'detected'
  /** A recovery's actions are running. */
  | 'recovering'
  /** Its actions are done; waiting for fresh observations to confirm. */
  | 'verifying'
  /** The last attempt failed; the planner picks another strategy. */
  | 'awaiting-replan'
  /** Verified harmless although still detected (a partitioned node with nothing left on it). */
  | 'contained'
  /** Every strategy has been tried: left for a person. */
  | 'abandoned';

/** Whether a failure (known with this status, or not at all) waits for the planner: new, or its last attempt failed. */
export const needsPlan = (status: FailureStatus | undefined): boolean =>
  status === undefined || status === 'detected' || status === 'awaiting-replan';

/** A failure the loop knows of, with what it has tried so far. */
export interface FailureRecord extends KnownFailure {
  readonly status: FailureStatus;
  readonly attempts: number;
  readonly tried: readonly StrategyId[];
  /** Strategies already given their one retry after a transient failure. */
  readonly retried: readonly StrategyId[];
  readonly escalated: boolean;
  readonly detectedAtMs: number;
  /** The analysis' root cause when it was detected. */
  readonly cause?: RootCause;
  /** A traffic failure's load when it was detected. */
  readonly load?: LoadEstimate;
}

/** A mitigation the loop has put on a service (shedding, a retry budget), until it lifts it. */
export interface Mitigation {
  readonly service: ServiceId;
  readonly strategy: StrategyId;
  readonly sinceMs: number;
  /** What the replicas served while the failure lasted: the capacity the whole demand must fit in again. */
  readonly capacityRps: number;
}

/** Strategies whose actions stay on a service after it recovers, until the loop lifts them. */
const MITIGATIONS: ReadonlySet<StrategyId> = new Set([
  'shed-to-capacity',
  'retry-budget',
  'shed-load',
  'shed-while-scaling',
]);

/**
 * Mitigations that only bridge a scale-out's lead time: lifted as soon as the service is well and its whole
 * demand fits the capacity in rotation, even while the recovery that put them there is still being verified.
 */
const BRIDGES: ReadonlySet<StrategyId> = new Set(['shed-while-scaling']);

/** Whether a mitigation only bridges a scale-out's lead time (see `BRIDGES`). */
export const isBridge = (m: Pick<Mitigation, 'strategy'>): boolean => BRIDGES.has(m.strategy);

/** One cycle, as the knowledge history keeps it. */
export interface CycleRecord {
  readonly cycle: number;
  readonly atMs: number;
  readonly totalTimeMs: number;
  readonly symptoms: number;
  readonly failures: number;
  readonly actions: number;
  readonly timedOut: boolean;
}

/** The objectives the loop works to. */
export interface LoopObjectives {
  readonly cycleIntervalMs: number;
  readonly maxRecoveryTimeMs: number;
  readonly errorRateThreshold: number;
  readonly latencyThreshold: number;
}

/** What the cluster looked like when last inventoried. */
export interface TopologySummary {
  readonly atMs: number;
  readonly nodes: readonly NodeId[];
  readonly services: readonly ServiceId[];
  readonly replicas: number;
}

/** The events that change knowledge. Learning events are ignored when updates are disabled. */
export type KnowledgeUpdate =
  | { readonly type: 'knowledge.cycle'; readonly record: CycleRecord }
  /** Quiet cycles' records, in order, batched by the monitor's beat. */
  | { readonly type: 'knowledge.cycles'; readonly records: readonly CycleRecord[] }
  | { readonly type: 'knowledge.outcome'; readonly outcome: RecoveryOutcome }
  | { readonly type: 'knowledge.detected'; readonly failure: DetectedFailure }
  | {
      readonly type: 'knowledge.status';
      readonly key: string;
      readonly status: FailureStatus;
      /** Set when a recovery starts with this strategy. */
      readonly strategy?: StrategyId;
      readonly escalated?: boolean;
      /**
       * The recovery failed only because effector actions failed transiently (a flaky API, not a wrong
       * plan): its strategy may be tried once more on this failure.
       */
      readonly retryStrategy?: StrategyId;
    }
  | { readonly type: 'knowledge.forget'; readonly key: string }
  /** A node was seen going down (silent) this cycle, after being heard the cycle before. */
  | { readonly type: 'knowledge.node-down'; readonly node: NodeId; readonly atMs: number }
  /** The loop itself ordered a power cycle of the node: its `starting` is the loop's doing. */
  | { readonly type: 'knowledge.rebooting'; readonly node: NodeId; readonly atMs: number }
  | { readonly type: 'knowledge.topology'; readonly topology: TopologySummary };

/** Failure types known from silence alone: once settled, their silence says nothing new. */
const SILENT_TYPES: ReadonlySet<FailureType> = new Set(['NodeCrash', 'NetworkPartition']);
/**
 * Causes whose silence is never settled: a machine rebooting by itself comes back, and its next silence is a
 * new failure (one more strike towards flapping) that analysis must see.
 */
const UNSETTLED_CAUSES: ReadonlySet<RootCause> = new Set(['self-reboot', 'flapping', 'kept-out']);
const NOTHING_SETTLED = { all: true, failures: [] } as const;

/**
 * The failures in hand that need no more work (contained or abandoned) and show only as silent nodes, and
 * whether every failure in hand is one of them. A cycle that sees nothing but these nodes' silence has nothing
 * to analyze.
 */
export const settledSilence = (
  failures: ReadonlyMap<string, FailureRecord>,
): { readonly all: boolean; readonly failures: readonly FailureRecord[] } => {
  if (failures.size === 0) return NOTHING_SETTLED;
  const settled: FailureRecord[] = [];
  for (const f of failures.values()) {
    const settledCause = f.cause === undefined || !UNSETTLED_CAUSES.has(f.cause);
    if ((f.status === 'contained' || f.status === 'abandoned') && SILENT_TYPES.has(f.type) && settledCause)
      settled.push(f);
  }
  return { all: settled.length === failures.size, failures: settled };
};

/** Read access to knowledge, as the phases get it. */
export interface KnowledgeView {
  /** A node's failures in the flapping window, quarantine, and whether the loop is power-cycling it. */
  nodeHistory(node: NodeId, nowMs: number): NodeHistory;
  /** Nodes kept out for flapping. */
  readonly quarantined: ReadonlySet<NodeId>;
  /** Shedding and retry budgets the loop has put on services, by service. */
  readonly mitigations: ReadonlyMap<ServiceId, Mitigation>;
  readonly objectives: LoopObjectives;
  readonly failures: ReadonlyMap<string, FailureRecord>;
  readonly history: readonly CycleRecord[];
  readonly topology: TopologySummary | undefined;
  stats(failureType: FailureType, strategy: StrategyId): OutcomeStats | undefined;
  allStats(): OutcomeStats[];
}

/** Cycles the history keeps. */
const HISTORY_LENGTH = 200;

const statsKey = (type: FailureType, strategy: StrategyId) => `${type}/${strategy}`;

/**
 * The K of MAPE-K: topology, objectives, cycle history, the failures being handled, and outcome statistics
 * per failure type and strategy. Only the knowledge actor calls `apply`; the phases read through
 * `KnowledgeView`. With updates disabled, what was learned (statistics, history) is frozen; the bookkeeping
 * of failures in hand still moves, since the loop cannot act without it.
 */
export class KnowledgeBase implements KnowledgeView {
  private readonly statsByKey = new Map<string, OutcomeStats>();
  private readonly failureRecords = new Map<string, FailureRecord>();
  private cycleHistory: CycleRecord[] = [];
  private inventory: TopologySummary | undefined;
  /** Times each node was seen going down, pruned to the flapping window. */
  private readonly nodeDowns = new Map<NodeId, number[]>();
  private readonly ownReboots = new Map<NodeId, number>();
  private readonly quarantine = new Set<NodeId>();
  private readonly mitigated = new Map<ServiceId, Mitigation>();
  /** Mitigations whose lift is under way, kept to restore if it fails. */
  private readonly lifting = new Map<ServiceId, Mitigation>();

  constructor(
    readonly objectives: LoopObjectives,
    private readonly learning: boolean,
    initial?: { readonly stats: readonly OutcomeStats[]; readonly history: readonly CycleRecord[] },
  ) {
    for (const s of initial?.stats ?? []) this.statsByKey.set(statsKey(s.failureType, s.strategy), s);
    this.cycleHistory = [...(initial?.history ?? [])].slice(-HISTORY_LENGTH);
  }

  get failures(): ReadonlyMap<string, FailureRecord> {
    return this.failureRecords;
  }

  get history(): readonly CycleRecord[] {
    return this.cycleHistory;
  }

  get topology(): TopologySummary | undefined {
    return this.inventory;
  }

  get quarantined(): ReadonlySet<NodeId> {
    return this.quarantine;
  }

  get mitigations(): ReadonlyMap<ServiceId, Mitigation> {
    return this.mitigated;
  }

  nodeHistory(node: NodeId, nowMs: number): NodeHistory {
    const downs = this.nodeDowns.get(node) ?? [];
    const own = this.ownReboots.get(node);
    return {
      recentFailures: downs.filter((t) => nowMs - t <= FLAPPING.windowMs).length,
      lastFailureMs: downs[downs.length - 1],
      quarantined: this.quarantine.has(node),
      rebootedByLoop: own !== undefined && nowMs - own <= FLAPPING.ownRebootMs,
    };
  }

  stats(failureType: FailureType, strategy: StrategyId): OutcomeStats | undefined {
    return this.statsByKey.get(statsKey(failureType, strategy));
  }

  allStats(): OutcomeStats[] {
    return [...this.statsByKey.values()];
  }

  private remember(record: CycleRecord): void {
    if (!this.learning) return;
    this.cycleHistory.push(record);
    if (this.cycleHistory.length > HISTORY_LENGTH * 2)
      this.cycleHistory = this.cycleHistory.slice(-HISTORY_LENGTH);
  }

  /**
   * Shedding and retry budgets stay on a service once its recovery is verified, until the loop lifts them:
   * recorded when such a recovery starts, dropped when it fails (its actions are rolled back) or is lifted.
   */
  private trackMitigation(r: FailureRecord, u: Extract<KnowledgeUpdate, { type: 'knowledge.status' }>): void {
    if (u.strategy === 'lift-mitigation') {
      for (const s of r.services) {
        const m = this.mitigated.get(s);
        if (m !== undefined) this.lifting.set(s, m);
        this.mitigated.delete(s);
      }
    }
    // A lift that failed (an effector failed, or the service fell ill again) leaves the mitigation in place.
    if (u.status === 'awaiting-replan' && r.tried.at(-1) === 'lift-mitigation') {
      for (const s of r.services) {
        const m = this.lifting.get(s);
        if (m !== undefined && !this.mitigated.has(s)) this.mitigated.set(s, m);
        this.lifting.delete(s);
      }
    }
    if (u.strategy !== undefined && MITIGATIONS.has(u.strategy)) {
      const strategy = u.strategy;
      for (const service of r.services) {
        const held = this.mitigated.get(service);
        // The capacity measured when the first mitigation began: a later one sees the first one's effect.
        const capacityRps = held?.capacityRps ?? r.load?.throughputRps ?? 0;
        this.mitigated.set(service, { service, strategy, sinceMs: r.detectedAtMs, capacityRps });
      }
    }
    const last = r.tried.at(-1);
    if (u.status === 'awaiting-replan' && last !== undefined && MITIGATIONS.has(last))
      for (const s of r.services) if (this.mitigated.get(s)?.strategy === last) this.mitigated.delete(s);
  }

  /** Applies one update (the knowledge actor's only job). */
  apply(u: KnowledgeUpdate): void {
    switch (u.type) {
      case 'knowledge.cycle':
        this.remember(u.record);
        return;
      case 'knowledge.cycles':
        for (const r of u.records) this.remember(r);
        return;
      case 'knowledge.outcome': {
        if (!this.learning) return;
        const o = u.outcome;
        const key = statsKey(o.failureType, o.strategy);
        const s = this.statsByKey.get(key);
        this.statsByKey.set(key, {
          failureType: o.failureType,
          strategy: o.strategy,
          attempts: (s?.attempts ?? 0) + 1,
          successes: (s?.successes ?? 0) + (o.ok ? 1 : 0),
          totalRecoveryMs: (s?.totalRecoveryMs ?? 0) + (o.ok ? o.durationMs : 0),
        });
        return;
      }
      case 'knowledge.detected': {
        const f = u.failure;
        this.failureRecords.set(f.key, {
          key: f.key,
          type: f.type,
          component: f.component,
          nodes: f.nodes,
          services: f.services,
          status: 'detected',
          attempts: 0,
          tried: [],
          retried: [],
          escalated: false,
          detectedAtMs: f.detectedAtMs,
          cause: f.cause,
          ...(f.load === undefined ? {} : { load: f.load }),
        });
        return;
      }
      case 'knowledge.status': {
        const r = this.failureRecords.get(u.key);
        if (r === undefined) return;
        const starting = u.strategy !== undefined;
        const retry =
          u.retryStrategy !== undefined && !r.retried.includes(u.retryStrategy) ? u.retryStrategy : undefined;
        const tried = starting && u.strategy !== undefined ? [...r.tried, u.strategy] : r.tried;
        // Keeping a flapping node out, and letting it back, are the quarantine's own bookkeeping.
        if (u.strategy === 'quarantine-node') for (const n of r.nodes) this.quarantine.add(n);
        if (u.strategy === 'readmit-node') for (const n of r.nodes) this.quarantine.delete(n);
        // A quarantine that failed (its moves rolled back) keeps nothing out: the node is planned for again.
        if (u.status === 'awaiting-replan' && r.tried.at(-1) === 'quarantine-node')
          for (const n of r.nodes) this.quarantine.delete(n);
        this.trackMitigation(r, u);
        this.failureRecords.set(u.key, {
          ...r,
          status: u.status,
          attempts: r.attempts + (starting ? 1 : 0),
          tried: retry === undefined ? tried : tried.filter((x) => x !== retry),
          retried: retry === undefined ? r.retried : [...r.retried, retry],
          escalated: u.escalated ?? r.escalated,
        });
        return;
      }
      case 'knowledge.forget':
        this.failureRecords.delete(u.key);
        return;
      case 'knowledge.topology':
        this.inventory = u.topology;
        return;
      case 'knowledge.node-down': {
        const keepMs = Math.max(FLAPPING.windowMs, FLAPPING.quietMs);
        const kept = (this.nodeDowns.get(u.node) ?? []).filter((t) => u.atMs - t <= keepMs);
        this.nodeDowns.set(u.node, [...kept, u.atMs]);
        return;
      }
      case 'knowledge.rebooting':
        this.ownReboots.set(u.node, u.atMs);
        return;
    }
  }
}
