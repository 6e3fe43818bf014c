import { type ActionOutcome, type ActionRequest, describeAction } from '../cluster/actions.ts';
import type { KnowledgeUpdate } from './knowledge-base.ts';
import type { MonitorSample } from './monitor.ts';
import { undoOf } from './recovery-actions.ts';
import { isContained } from './topology.ts';
import { isServiceSymptom } from './traffic-symptoms.ts';
import type { AnalysisResult, RecoveryOutcome, RecoveryPlan } from './types.ts';

/** What the tracker needs from the world around it. */
export interface TrackerPorts {
  /** Starts an effector action; `onDone` gets its outcome in sim time. */
  readonly dispatch: (request: ActionRequest, onDone: (outcome: ActionOutcome) => void) => void;
  /** Hands an action's outcome back as an event to the execute actor, tagged with its recovery. */
  readonly deliver: (key: string, attempt: number, outcome: ActionOutcome) => void;
  /** Sends an update to the knowledge actor. */
  readonly learn: (update: KnowledgeUpdate) => void;
  /** Writes a decision to the trace. */
  readonly trace: (kind: string, fields: Readonly<Record<string, unknown>>) => void;
  readonly nowMs: () => number;
}

interface Recovery {
  readonly plan: RecoveryPlan;
  readonly startedAtMs: number;
  readonly deadlineMs: number;
  stage: number;
  pending: number;
  readonly problems: string[];
  /** Whether an action failed other than transiently: then retrying the same strategy is pointless. */
  permanent: boolean;
  /** Reversible actions that completed, to undo if the recovery fails. */
  readonly undoable: ActionRequest[];
  completedAtMs: number | null;
  /** The backlog of its services at the last scrape a review looked at (-1: none looked at yet). */
  drainingBacklog: number;
  /** That scrape's time, and whether the backlog had gone down by then. */
  drainSeenAtMs: number;
  drainProgress: boolean;
}

/** A backlog this much smaller than at the last look is draining: the cure works, give it time. */
const DRAINING = 0.95;
/** Throughput this many times the attempts arriving drains a queue (three deviations of the 2 % noise, summed). */
const DRAIN_RATE = 1.03;

/** What one review of the recoveries in flight concluded. */
export interface ReviewResult {
  readonly verified: RecoveryOutcome[];
  readonly failed: RecoveryOutcome[];
  readonly rolledBack: number;
}

/**
 * The Execute side's memory across cycles: recoveries in flight, stage by stage, each bounded by the max
 * recovery time. Actions finish between cycles (their outcomes come back as events); a recovery whose
 * actions all succeeded is verified against the first fresh observations, and one that fails (an action
 * failed, the failure is still there, or time ran out) has its reversible actions undone and its outcome
 * handed to knowledge, so the planner can fall back to another strategy.
 */
export class RecoveryTracker {
  private readonly recoveries = new Map<string, Recovery>();
  private concluded: RecoveryOutcome[] = [];
  private rolledBack = 0;

  constructor(
    private readonly ports: TrackerPorts,
    private readonly maxRecoveryTimeMs: number,
    private readonly verifyDelayMs: number,
  ) {}

  /** Recoveries whose outcome is not known yet. */
  get inFlight(): number {
    return this.recoveries.size;
  }

  /** Starts a plan's first stage; returns the number of actions dispatched. */
  start(plan: RecoveryPlan): number {
    const key = plan.failure.key;
    const now = this.ports.nowMs();
    const rec: Recovery = {
      plan,
      startedAtMs: now,
      deadlineMs: now + this.maxRecoveryTimeMs,
      stage: 0,
      pending: 0,
      problems: [],
      permanent: false,
      undoable: [],
      completedAtMs: null,
      // A traffic failure knows its backlog when it was diagnosed; for the others the first look has none.
      drainingBacklog: plan.failure.load?.backlog ?? -1,
      drainSeenAtMs: -1,
      drainProgress: false,
    };
    this.recoveries.set(key, rec);
    this.ports.learn({
      type: 'knowledge.status',
      key,
      status: 'recovering',
      strategy: plan.strategy,
      escalated: plan.escalated,
    });
    this.ports.trace('mapek.recovery.started', {
      failure: key,
      strategy: plan.strategy,
      attempt: plan.attempt,
      actions: plan.actions.map((a) => describeAction(a.request)),
    });
    return this.dispatchStage(key, rec);
  }

  /** An action of recovery `key` finished. Outcomes of recoveries already concluded are ignored. */
  actionDone(key: string, attempt: number, outcome: ActionOutcome): void {
    const rec = this.recoveries.get(key);
    if (rec === undefined || rec.plan.attempt !== attempt) return;
    rec.pending--;
    const action = rec.plan.actions.find((a) => a.request === outcome.request);
    if (!outcome.ok) {
      rec.problems.push(`${describeAction(outcome.request)}: ${outcome.failure.kind}`);
      if (outcome.failure.kind !== 'transient') rec.permanent = true;
    } else if (action?.reversible === true) rec.undoable.push(outcome.request);
    if (rec.pending > 0) return;
    if (rec.problems.length > 0) {
      this.fail(key, rec, `action failed (${rec.problems.join('; ')})`);
      return;
    }
    if (rec.plan.actions.some((a) => a.stage > rec.stage && !a.background)) {
      rec.stage++;
      this.dispatchStage(key, rec);
      return;
    }
    this.complete(key, rec);
  }

  /**
   * The awaited stages are done: start the background repairs (only now, so a power-cycle never races a
   * promotion or a move off its node) and wait for fresh observations to verify.
   */
  private complete(key: string, rec: Recovery): number {
    let n = 0;
    for (const a of rec.plan.actions) {
      if (!a.background) continue;
      n++;
      this.ports.dispatch(a.request, () => {});
    }
    rec.completedAtMs = this.ports.nowMs();
    this.ports.learn({ type: 'knowledge.status', key, status: 'verifying' });
    return n;
  }

  /**
   * Reviews every recovery against this cycle's observations: verifies those whose actions are done once the
   * observations postdate them by the verify delay, fails those past their deadline. Returns what concluded
   * since the last review, including failures that arrived between cycles.
   */
  review(sample: MonitorSample, analysis: AnalysisResult | undefined): ReviewResult {
    const now = this.ports.nowMs();
    for (const [key, rec] of [...this.recoveries]) {
      if (now > rec.deadlineMs) {
        this.fail(key, rec, 'not verified within maxRecoveryTime');
        continue;
      }
      if (rec.completedAtMs === null || sample.state.scrapedAtMs < rec.completedAtMs + this.verifyDelayMs)
        continue;
      const present = analysis?.failures.find((f) => f.key === key);
      const topology = sample.state.topology;
      const contained = present !== undefined && topology !== undefined && isContained(topology, present);
      const others = new Set<string>();
      for (const f of analysis?.failures ?? []) if (f.key !== key) for (const s of f.services) others.add(s);
      const degraded = sample.symptoms.some(
        (s) => isServiceSymptom(s) && rec.plan.failure.services.includes(s.service) && !others.has(s.service),
      );
      if ((present === undefined || contained) && !degraded) this.succeed(key, rec, contained);
      else if (this.draining(rec, sample)) continue;
      else
        this.fail(
          key,
          rec,
          present === undefined ? 'services still degraded' : 'still failing after recovery',
        );
    }
    const verified = this.concluded.filter((o) => o.ok);
    const failed = this.concluded.filter((o) => !o.ok);
    const rolledBack = this.rolledBack;
    this.concluded = [];
    this.rolledBack = 0;
    return { verified, failed, rolledBack };
  }

  /**
   * Whether the backlog of the recovery's services went down since the last scrape looked at: a queue drains
   * at the rate its cure frees (a node back, a storm shed), and the scrape that shows it drained still
   * averages the drain's slow answers over its interval, so a recovery whose services queue is judged only on
   * a scrape that shows no more progress (one more scrape once drained). Judging it half drained would undo
   * the cure that works, or blame the service for the outage's own queue. The deadline still holds.
   */
  private draining(rec: Recovery, sample: MonitorSample): boolean {
    const at = sample.state.scrapedAtMs;
    if (at === rec.drainSeenAtMs) return rec.drainProgress;
    let backlog = 0;
    let outpaced = false;
    for (const h of sample.state.services) {
      if (!rec.plan.failure.services.includes(h.service) || h.load === undefined) continue;
      backlog += h.load.backlog;
      // Served faster than it arrives, beyond the scrape's noise: the queue is going down.
      if (h.load.backlog > 0 && h.load.throughputRps > DRAIN_RATE * h.load.attemptsRps) outpaced = true;
    }
    const previous = rec.drainingBacklog;
    // A queue gets one more scrape the first time it is looked at, and while it visibly shrinks.
    const shrank = previous < 0 ? backlog > 0 : previous > 0 && backlog < DRAINING * previous;
    rec.drainProgress = shrank || outpaced;
    rec.drainSeenAtMs = at;
    rec.drainingBacklog = backlog;
    return rec.drainProgress;
  }

  private dispatchStage(key: string, rec: Recovery): number {
    const attempt = rec.plan.attempt;
    let n = 0;
    for (const a of rec.plan.actions) {
      if (a.stage !== rec.stage || a.background) continue;
      rec.pending++;
      n++;
      this.ports.dispatch(a.request, (outcome) => this.ports.deliver(key, attempt, outcome));
    }
    if (rec.pending === 0 && !rec.plan.actions.some((a) => a.stage > rec.stage && !a.background)) {
      n += this.complete(key, rec);
    }
    return n;
  }

  private succeed(key: string, rec: Recovery, contained: boolean): void {
    this.conclude(key, rec, true, contained ? 'verified: contained' : 'verified: failure gone');
    if (contained) this.ports.learn({ type: 'knowledge.status', key, status: 'contained' });
    else this.ports.learn({ type: 'knowledge.forget', key });
  }

  private fail(key: string, rec: Recovery, reason: string): void {
    for (const request of rec.undoable) {
      const undo = undoOf(request);
      if (undo === undefined) continue;
      this.rolledBack++;
      this.ports.dispatch(undo, () => {});
    }
    this.conclude(key, rec, false, reason);
    const flaky = rec.problems.length > 0 && !rec.permanent;
    this.ports.learn({
      type: 'knowledge.status',
      key,
      status: 'awaiting-replan',
      ...(flaky ? { retryStrategy: rec.plan.strategy } : {}),
    });
  }

  private conclude(key: string, rec: Recovery, ok: boolean, reason: string): void {
    this.recoveries.delete(key);
    const outcome: RecoveryOutcome = {
      key,
      failureType: rec.plan.failure.type,
      strategy: rec.plan.strategy,
      ok,
      durationMs: this.ports.nowMs() - rec.startedAtMs,
      reason,
    };
    this.concluded.push(outcome);
    this.ports.learn({ type: 'knowledge.outcome', outcome });
    this.ports.trace(ok ? 'mapek.recovery.verified' : 'mapek.recovery.failed', {
      failure: key,
      strategy: rec.plan.strategy,
      durationMs: outcome.durationMs,
      reason,
    });
  }
}
