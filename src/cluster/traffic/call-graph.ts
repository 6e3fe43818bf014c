import {
  type CallerComposition,
  calleeFailureAt,
  composeCall,
  composeCaller,
  type EdgePart,
} from '../queueing/call-composition.ts';
import type { ServiceTraffic } from '../queueing/service-traffic.ts';
import type { Owned, ServiceCallField } from '../runtime/ownership.ts';
import type { CallEdge, ServiceRuntime } from '../runtime/records.ts';
import {
  CALL_GRAPH_TOLERANCE,
  createEdgeState,
  type EdgeState,
  foldEdge,
  moved,
  movedBy,
  relax,
} from './call-edge-state.ts';
import { TopologicalWorklist } from './topological-worklist.ts';

type GraphService = Owned<ServiceRuntime, ServiceCallField | 'offeredRps'>;

/**
 * One change recomputes at most CALL_GRAPH_MAX_ROUNDS x (services in the graph) services before the
 * propagation stops where it is (the tolerances that decide who follows: CALL_GRAPH_TOLERANCE).
 */
export const CALL_GRAPH_MAX_ROUNDS = 32;
/**
 * Sim time after which a propagation the round bound stopped goes on. Near saturation a callee's latency is
 * so steep in its load that the callers and callees can keep nudging each other below any useful tolerance:
 * the rates then hold, within a few per cent of the fixed point, for this long before the next round.
 */
export const CALL_GRAPH_RESUME_MS = 100;

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
  private readonly worklist: TopologicalWorklist;
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
    const byName = new Map(services.map((s) => [s.spec.name as string, s]));
    for (const caller of services) {
      for (const spec of caller.spec.calls ?? []) {
        const callee = byName.get(spec.service);
        if (callee === undefined) continue;
        const st = createEdgeState(spec, caller, callee, nowMs);
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
    this.worklist = new TopologicalWorklist(
      services,
      this.outOf.map((list) => list.map((e) => e.edge.callee.index)),
    );
    // Idle call paths, callees first: each call takes the callee's own service time plus its own idle path.
    for (const s of this.worklist.calleesFirst()) {
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
    this.worklist.mark(start);
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
    while (!this.worklist.empty) {
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
      const s = this.worklist.next();
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
    if (relax(e)) this.worklist.mark(edge.callee);
    edge.attemptFailure = e.outcome.attemptFailure;
    edge.callFailure = e.outcome.callFailure;
    edge.timeoutShare = e.outcome.timeoutShare;
    edge.callMs = e.outcome.callMs;
    if (
      Math.abs(e.outcome.callFailure - e.seenCallFailure) > CALL_GRAPH_TOLERANCE.probability ||
      moved(e.outcome.callMs, e.seenCallMs)
    )
      this.worklist.mark(edge.caller);
    this.refreshLoad(e);
  }

  /** An edge's call load from its caller's served requests; the callee follows if it moved. */
  private refreshLoad(e: EdgeState): void {
    const edge = e.edge;
    edge.callRps = edge.caller.servedRps * edge.spec.perRequest;
    edge.attemptRps = edge.callRps * e.outcome.attemptsPerCall * e.outcome.reachShare;
    if (movedBy(edge.attemptRps, e.seenAttemptRps, CALL_GRAPH_TOLERANCE.load))
      this.worklist.mark(edge.callee);
  }

  private stateOf(edge: CallEdge): EdgeState | undefined {
    return this.edges.find((e) => e.edge === edge);
  }
}
