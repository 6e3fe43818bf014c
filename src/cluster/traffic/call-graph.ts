import {
  type CallerComposition,
  type CallOutcome,
  calleeFailureAt,
  composeCall,
  composeCaller,
  createCallOutcome,
  type EdgePart,
} from '../queueing/call-composition.ts';
import type { ServiceTraffic } from '../queueing/service-traffic.ts';
import type { CallEdge, Owned, ServiceCallField, ServiceRuntime } from '../runtime.ts';

type GraphEdge = Owned<CallEdge, keyof CallEdge>;
type GraphService = Owned<ServiceRuntime, ServiceCallField | 'offeredRps'>;

/** What the graph keeps per edge beside the record everyone reads. */
interface EdgeState {
  readonly edge: GraphEdge;
  readonly outcome: CallOutcome;
  /** The attempt rate the callee last took into its load, and the outcome the caller last composed. */
  seenAttemptRps: number;
  seenCallFailure: number;
  seenCallMs: number;
  /**
   * The relaxation step of the edge's call time and failure: 1 (take the callee's new value whole) until an
   * update reverses the previous one's direction, then halved each reversal, back to 1 once settled.
   */
  step: number;
  lastDeltaMs: number;
  /** The outcome at the callee's state, before relaxation. */
  readonly target: CallOutcome;
}

/**
 * Tolerances of the propagation: a neighbour is recomputed only when what it reads from a service moved by
 * more than this (relative for rates and times, absolute for probabilities), and one change recomputes at
 * most MAX_ROUNDS x (services in the graph) services before the propagation stops where it is.
 */
export const CALL_GRAPH_TOLERANCE = { load: 1e-6, latency: 1e-2, probability: 1e-4 } as const;
export const CALL_GRAPH_MAX_ROUNDS = 32;
/**
 * Sim time after which a propagation the round bound stopped goes on. Near saturation a callee's latency is
 * so steep in its load that the callers and callees can keep nudging each other below any useful tolerance:
 * the rates then hold, within a few per cent of the fixed point, for this long before the next round.
 */
export const CALL_GRAPH_RESUME_MS = 100;
/** The smallest relaxation step (after six reversals). */
const MIN_STEP = 1 / 64;

const movedBy = (a: number, b: number, tolerance: number): boolean =>
  Math.abs(a - b) > tolerance * Math.max(Math.abs(a), Math.abs(b), 1e-9);
/** A call time moved beyond the latency tolerance (near saturation a callee's latency is steep in its load). */
const moved = (a: number, b: number): boolean => movedBy(a, b, CALL_GRAPH_TOLERANCE.latency);

/**
 * The call graph at run time: one edge per `calls` entry, the callers' compositions and the callees' call
 * load, propagated to a fixed point on every change. Load flows down (a caller's served requests x fan-out x
 * the attempts per call), failures and latency flow up (a callee's failure at the caller's timeout, its
 * response time); the two depend on each other, so after a service's recompute its neighbours that read a
 * value that moved beyond the tolerance are recomputed too, callers before callees (a topological order), until
 * nothing moves or the round bound is reached. Deterministic: the order depends only on the declaration.
 */
export class CallGraph {
  private readonly edges: EdgeState[] = [];
  private readonly outOf: EdgeState[][];
  private readonly into: EdgeState[][];
  private readonly workload: Float64Array;
  /** Position of each service in the topological order (callers first). */
  private readonly rank: Int32Array;
  private readonly dirty: Uint8Array;
  private dirtyCount = 0;
  private running = false;
  private readonly composition: CallerComposition = { failure: 0, degraded: 0, holdMs: 0 };
  private readonly parts: EdgePart[][];
  /** Propagations the round bound stopped before they settled (kept for tests and the docs' claim). */
  truncated = 0;
  private deferred = false;
  private one: ((s: ServiceRuntime) => void) | null = null;
  private foldFn: ((s: ServiceRuntime) => void) | null = null;

  constructor(
    private readonly services: readonly ServiceRuntime[],
    private readonly trafficOf: (s: ServiceRuntime) => ServiceTraffic,
    nowMs: number,
    /** Schedules `resume` CALL_GRAPH_RESUME_MS ahead in sim time: where a stopped propagation goes on. */
    private readonly defer: (resume: () => void) => void,
    private readonly nowOf: () => number,
  ) {
    const n = services.length;
    this.outOf = services.map(() => []);
    this.into = services.map(() => []);
    this.workload = new Float64Array(n);
    this.dirty = new Uint8Array(n);
    const byName = new Map(services.map((s) => [s.spec.name as string, s]));
    for (const caller of services) {
      for (const spec of caller.spec.calls ?? []) {
        const callee = byName.get(spec.service);
        if (callee === undefined) continue;
        const edge: GraphEdge = {
          spec,
          caller,
          callee,
          faultErrorRate: 0,
          faultLatencyMs: 0,
          circuitOpen: false,
          callRps: 0,
          attemptRps: 0,
          attemptFailure: 0,
          callFailure: 0,
          timeoutShare: 0,
          callMs: callee.spec.latencyMs,
          countedAtMs: nowMs,
          callTotal: 0,
          failedTotal: 0,
          timeoutTotal: 0,
          latencyTotal: 0,
        };
        const st: EdgeState = {
          edge,
          outcome: createCallOutcome(),
          seenAttemptRps: 0,
          seenCallFailure: 0,
          seenCallMs: 0,
          step: 1,
          lastDeltaMs: 0,
          target: createCallOutcome(),
        };
        this.edges.push(st);
        this.outOf[caller.index]?.push(st);
        this.into[callee.index]?.push(st);
      }
    }
    for (const s of services) {
      const g: GraphService = s;
      g.calls = (this.outOf[s.index] ?? []).map((e) => e.edge);
      g.callers = (this.into[s.index] ?? []).map((e) => e.edge);
    }
    this.parts = this.outOf.map((list) =>
      list.map((e) => ({
        perRequest: e.edge.spec.perRequest,
        fallback: e.edge.spec.fallback,
        outcome: e.outcome,
      })),
    );
    this.rank = topologicalRank(services, this.outOf);
    // Idle call paths, callees first: each call takes the callee's own service time plus its own idle path.
    const order = [...services].sort((a, b) => (this.rank[b.index] ?? 0) - (this.rank[a.index] ?? 0));
    for (const s of order) {
      let idle = 0;
      for (const e of this.outOf[s.index] ?? [])
        idle += e.edge.spec.perRequest * (e.edge.callee.spec.latencyMs + e.edge.callee.idleCallHoldMs);
      const g: GraphService = s;
      g.idleCallHoldMs = idle;
      g.callHoldMs = idle;
      for (const e of this.outOf[s.index] ?? []) {
        e.edge.callMs = e.edge.callee.spec.latencyMs + e.edge.callee.idleCallHoldMs;
        e.outcome.callMs = e.edge.callMs;
        e.target.callMs = e.edge.callMs;
        e.seenCallMs = e.edge.callMs;
      }
    }
  }

  /** Whether any service calls another (a world without calls never enters the graph). */
  get active(): boolean {
    return this.edges.length > 0;
  }

  /** The users' load of a service (its workload), which its call load comes on top of. */
  setWorkload(s: ServiceRuntime, rps: number): void {
    this.workload[s.index] = rps;
  }

  /** Users' load plus call load: what the service is offered. */
  offeredOf(s: ServiceRuntime): number {
    return (this.workload[s.index] ?? 0) + s.callRps;
  }

  /** The edge from `from` to `to`, if declared. */
  edge(from: string, to: string): CallEdge | undefined {
    return this.edges.find((e) => e.edge.caller.spec.name === from && e.edge.callee.spec.name === to)?.edge;
  }

  /** Sets a fault's errors and latency on an edge (0 and 0 clear it); the caller is recomputed by the caller. */
  setFault(edge: CallEdge, errorRate: number, latencyMs: number, nowMs: number): void {
    const st = this.stateOf(edge);
    if (st === undefined) return;
    foldEdge(st.edge, nowMs);
    st.edge.faultErrorRate = errorRate;
    st.edge.faultLatencyMs = latencyMs;
    st.step = 1;
    this.refreshOutcome(st);
  }

  /** Opens or closes an edge's circuit breaker. */
  setCircuit(edge: CallEdge, open: boolean, nowMs: number): void {
    const st = this.stateOf(edge);
    if (st === undefined) return;
    foldEdge(st.edge, nowMs);
    st.edge.circuitOpen = open;
    st.step = 1;
    this.refreshOutcome(st);
  }

  /** Integrates a caller's edges up to now (rates are constant since their last change). */
  foldCalls(s: ServiceRuntime, nowMs: number): void {
    for (const e of this.outOf[s.index] ?? []) foldEdge(e.edge, nowMs);
  }

  /**
   * Recomputes `start` through `one` (fold, flow, level), then every neighbour whose inputs moved, callers
   * before callees, to the fixed point or the round bound. A recompute asked for while one runs joins it.
   */
  run(
    start: ServiceRuntime,
    one: (s: ServiceRuntime) => void,
    fold: (s: ServiceRuntime) => void,
    nowMs: number,
  ): void {
    this.one = one;
    this.foldFn = fold;
    this.mark(start);
    this.drain(nowMs);
  }

  /**
   * Recomputes dirty services, callers first, up to the round bound. What is still dirty then waits for a
   * kernel event CALL_GRAPH_RESUME_MS later (deterministic; the sim goes on meanwhile at the rates reached), so no
   * recompute ever loops for ever and no service is left stale.
   */
  private drain(nowMs: number): void {
    const one = this.one;
    const fold = this.foldFn;
    if (this.running || one === null || fold === null) return;
    this.running = true;
    let budget = CALL_GRAPH_MAX_ROUNDS * Math.max(1, this.services.length);
    while (this.dirtyCount > 0) {
      if (budget-- <= 0) {
        this.truncated++;
        if (!this.deferred) {
          this.deferred = true;
          this.defer(() => {
            this.deferred = false;
            this.drain(this.nowOf());
          });
        }
        break;
      }
      const s = this.nextDirty();
      if (s === null) break;
      fold(s);
      this.prepare(s);
      one(s);
      this.publish(s, nowMs);
    }
    this.running = false;
  }

  /** Takes a service's inputs from its neighbours: the call load it is offered, its calls' composition. */
  private prepare(s: ServiceRuntime): void {
    const g: GraphService = s;
    const into = this.into[s.index] ?? [];
    if (into.length > 0) {
      let load = 0;
      for (const e of into) {
        load += e.edge.attemptRps;
        e.seenAttemptRps = e.edge.attemptRps;
      }
      g.callRps = load;
      g.offeredRps = (this.workload[s.index] ?? 0) + load;
    }
    const out = this.outOf[s.index] ?? [];
    if (out.length > 0) {
      const c = composeCaller(this.composition, this.parts[s.index] ?? []);
      g.callFailure = c.failure;
      g.callDegraded = c.degraded;
      g.callHoldMs = c.holdMs;
      for (const e of out) {
        e.seenCallFailure = e.outcome.callFailure;
        e.seenCallMs = e.outcome.callMs;
      }
    }
  }

  /** After a recompute: what the service's callees and callers read from it, and who must follow. */
  private publish(s: ServiceRuntime, nowMs: number): void {
    for (const e of this.into[s.index] ?? []) {
      foldEdge(e.edge, nowMs);
      this.refreshOutcome(e);
    }
    for (const e of this.outOf[s.index] ?? []) {
      foldEdge(e.edge, nowMs);
      this.refreshLoad(e);
    }
  }

  /** An edge's outcome from its callee's state now; the caller follows if what it composed moved. */
  private refreshOutcome(e: EdgeState): void {
    const edge = e.edge;
    const st = this.trafficOf(edge.callee);
    const timeoutMs = edge.spec.timeoutMs - edge.faultLatencyMs;
    const failure = calleeFailureAt(st, timeoutMs);
    const refused = calleeFailureAt(st, Number.POSITIVE_INFINITY);
    composeCall(e.target, {
      calleeFailure: failure,
      calleeLate: Math.max(0, failure - refused),
      calleeLatencyMs: edge.callee.servedRps > 0 ? edge.callee.latencyMs : edge.callee.spec.latencyMs,
      timeoutMs: edge.spec.timeoutMs,
      attempts: edge.spec.attempts,
      faultErrorRate: edge.faultErrorRate,
      faultLatencyMs: edge.faultLatencyMs,
      circuitOpen: edge.circuitOpen,
    });
    this.relax(e);
    edge.attemptFailure = e.outcome.attemptFailure;
    edge.callFailure = e.outcome.callFailure;
    edge.timeoutShare = e.outcome.timeoutShare;
    edge.callMs = e.outcome.callMs;
    if (
      Math.abs(e.outcome.callFailure - e.seenCallFailure) > CALL_GRAPH_TOLERANCE.probability ||
      moved(e.outcome.callMs, e.seenCallMs)
    )
      this.mark(edge.caller);
    this.refreshLoad(e);
  }

  /**
   * Moves the edge's outcome towards its target by the edge's step. A caller's call time and its callee's
   * load feed back into each other with no delay in the fluid model (a caller draining a backlog floods its
   * callee, whose latency then holds the caller's workers longer, which slows the drain): taken whole, the
   * iteration can flip between two states for ever. Halving the step on each reversal (a bisection of the
   * feedback loop) settles it; the fixed point is the same. While not at its target, the callee is recomputed again so the relaxation goes on.
   */
  private relax(e: EdgeState): void {
    const t = e.target;
    const o = e.outcome;
    const delta = t.callMs - o.callMs;
    if (delta * e.lastDeltaMs < 0) e.step = Math.max(MIN_STEP, e.step / 2);
    e.lastDeltaMs = delta;
    const w = e.step;
    if (w === 1) {
      copyOutcome(o, t);
      return;
    }
    o.callMs += w * delta;
    o.callFailure += w * (t.callFailure - o.callFailure);
    o.attemptFailure += w * (t.attemptFailure - o.attemptFailure);
    o.timeoutShare += w * (t.timeoutShare - o.timeoutShare);
    o.attemptsPerCall += w * (t.attemptsPerCall - o.attemptsPerCall);
    o.reachShare = t.reachShare;
    const settled =
      !moved(o.callMs, t.callMs) &&
      Math.abs(o.callFailure - t.callFailure) <= CALL_GRAPH_TOLERANCE.probability;
    if (settled) {
      // Exactly the target once settled: the relaxation leaves no residue in a steady state.
      e.step = 1;
      copyOutcome(o, t);
      return;
    }
    this.mark(e.edge.callee);
  }

  /** An edge's call load from its caller's served requests; the callee follows if it moved. */
  private refreshLoad(e: EdgeState): void {
    const edge = e.edge;
    edge.callRps = edge.caller.servedRps * edge.spec.perRequest;
    edge.attemptRps = edge.callRps * e.outcome.attemptsPerCall * e.outcome.reachShare;
    if (movedBy(edge.attemptRps, e.seenAttemptRps, CALL_GRAPH_TOLERANCE.load)) this.mark(edge.callee);
  }

  private stateOf(edge: CallEdge): EdgeState | undefined {
    return this.edges.find((e) => e.edge === edge);
  }

  private mark(s: ServiceRuntime): void {
    if (this.dirty[s.index] === 1) return;
    this.dirty[s.index] = 1;
    this.dirtyCount++;
  }

  /** The dirty service first in the topological order (callers before their callees). */
  private nextDirty(): ServiceRuntime | null {
    if (this.dirtyCount === 0) return null;
    let best: ServiceRuntime | null = null;
    for (const s of this.services) {
      if (this.dirty[s.index] !== 1) continue;
      if (best === null || (this.rank[s.index] ?? 0) < (this.rank[best.index] ?? 0)) best = s;
    }
    if (best !== null) {
      this.dirty[best.index] = 0;
      this.dirtyCount--;
    }
    return best;
  }
}

const copyOutcome = (out: CallOutcome, from: CallOutcome): void => {
  out.attemptFailure = from.attemptFailure;
  out.callFailure = from.callFailure;
  out.attemptsPerCall = from.attemptsPerCall;
  out.reachShare = from.reachShare;
  out.timeoutShare = from.timeoutShare;
  out.callMs = from.callMs;
};

/** Integrates an edge's rates since its last change. */
const foldEdge = (edge: GraphEdge, nowMs: number): void => {
  const dt = (nowMs - edge.countedAtMs) / 1_000;
  if (dt > 0) {
    const calls = edge.callRps * dt;
    edge.callTotal += calls;
    edge.failedTotal += calls * edge.callFailure;
    edge.timeoutTotal += calls * edge.timeoutShare;
    edge.latencyTotal += calls * edge.callMs;
  }
  edge.countedAtMs = nowMs;
};

/**
 * Kahn's algorithm over the declaration order: rank 0 for services nobody calls, then each service after all
 * its callers. Validation rejects cycles; a service left on one (a hand-built spec) keeps the last ranks.
 */
const topologicalRank = (services: readonly ServiceRuntime[], outOf: readonly EdgeState[][]): Int32Array => {
  const n = services.length;
  const indegree = new Int32Array(n);
  for (const list of outOf)
    for (const e of list) indegree[e.edge.callee.index] = (indegree[e.edge.callee.index] ?? 0) + 1;
  const rank = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  let next = 0;
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head] ?? 0;
    rank[i] = next++;
    for (const e of outOf[i] ?? []) {
      const j = e.edge.callee.index;
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) queue.push(j);
    }
  }
  for (let i = 0; i < n; i++) if (rank[i] === -1) rank[i] = next++;
  return rank;
};
