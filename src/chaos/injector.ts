import { err, ok, type Result } from '../base/result.ts';
import type { Cluster, ClusterListener } from '../cluster/cluster.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from '../cluster/runtime/records.ts';
import type { SimKernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/random-streams.ts';
import type { Trace } from '../sim/trace.ts';
import { definitionOf, type Injection, partitionSides, spikedServices } from './fault-catalog.ts';
import type { FaultId, FaultRecord, SkippedFault } from './ground-truth.ts';
import { isProcessFault, resolveProcessReplicas } from './process-targets.ts';
import type { DurationDistribution, FaultParams, FaultSchedule, RandomFaults, TimedFault } from './spec.ts';
import { resolveTargets } from './targets.ts';
import { type UpcomingFault, upcomingFaults } from './upcoming.ts';

interface ActiveFault {
  readonly record: FaultRecord;
  readonly injection: Injection;
  /** Targets on which the fault is still in effect. */
  readonly remaining: Set<NodeRuntime>;
  /** A process fault: the replicas (by id) that still hold its effect; it clears when none does. */
  readonly replicasLeft?: Set<string>;
}

const drawDuration = (rng: RandomStream, d: DurationDistribution): number => {
  switch (d.kind) {
    case 'fixed':
      return d.ms;
    case 'uniform':
      return Math.round(rng.uniform(d.minMs, d.maxMs));
    case 'exponential':
      return Math.max(1_000, Math.round(rng.exponential(d.meanMs)));
  }
};

/**
 * Breaks the cluster on schedule: explicit timeline entries at their time, random generators as seeded
 * Poisson processes. Each fault leaves a ground-truth record with when it landed and when it cleared.
 */
export class ChaosInjector implements ClusterListener {
  readonly records: FaultRecord[] = [];
  readonly skipped: SkippedFault[] = [];
  private readonly active = new Map<FaultId, ActiveFault>();
  private readonly injectedListeners: ((record: FaultRecord) => void)[] = [];
  /** Nominal windows of generated faults: what the generators plan by, independent of repairs. */
  private readonly windows: { generator: RandomFaults; untilMs: number; nodes: readonly string[] }[] = [];
  private timeline: readonly TimedFault[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly kernel: SimKernel,
    private readonly rng: RandomStream,
    private readonly trace: Trace,
  ) {
    cluster.listen(this);
    cluster.processes.onCured((id, r) => this.processCured(id as FaultId, r));
  }

  /** A process fault's effect left a replica (restarted, rolled back, replaced, expired). */
  private processCured(id: FaultId, r: Replica): void {
    const f = this.active.get(id);
    if (f?.replicasLeft === undefined) return;
    f.replicasLeft.delete(r.id);
    if (f.replicasLeft.size === 0) this.close(f);
  }

  /** Calls `listener` the instant a fault lands: for measurement and for the oracle baseline only. */
  onInjected(listener: (record: FaultRecord) => void): void {
    this.injectedListeners.push(listener);
  }

  /** Schedules every timeline entry and starts every random generator. */
  start(schedule: FaultSchedule): void {
    this.timeline = schedule.timeline;
    for (const f of schedule.timeline) this.kernel.at(f.atMs, () => this.inject(f, 'timeline'));
    for (const gen of schedule.random) this.scheduleArrival(gen, gen.fromMs);
  }

  /**
   * The timeline's faults still to land, as the file names them: ground truth ahead of time, for the oracle
   * bound only (a random generator's faults are known only as they land).
   */
  upcoming(): UpcomingFault[] {
    return upcomingFaults(this.timeline, this.kernel.nowMs);
  }

  /** Faults still in effect. */
  get activeCount(): number {
    return this.active.size;
  }

  /** Injects one fault now. Returns its record, or undefined when its target did not exist. */
  inject(params: FaultParams, origin: FaultRecord['origin']): FaultRecord | undefined {
    const now = this.kernel.nowMs;
    const targets = this.targetsOf(params);
    if (!targets.ok) {
      this.skipped.push({ kind: params.kind, atMs: now, reason: targets.error });
      this.trace.record({
        t: now,
        kind: 'fault.skipped',
        source: 'chaos',
        fault: params.kind,
        reason: targets.error,
      });
      return undefined;
    }
    const id = `f${this.records.length + 1}` as FaultId;
    const { nodes, replicas } = targets.value;
    const record: FaultRecord = {
      id,
      kind: params.kind,
      origin,
      targets: nodes.map((n) => n.id),
      // A load spike hits services, not nodes: its components are the services it multiplies. A process fault
      // hits replicas: its components are they and their service, not the nodes they run on. A dependency
      // failure hits an edge: its components are the edge and its caller.
      components:
        replicas !== undefined
          ? [...new Set(replicas.flatMap((r) => [r.id, r.service.spec.name]))]
          : componentsOf(this.cluster, params, nodes),
      detail: detailOf(params),
      injectedAtMs: now,
      clearedAtMs: null,
    };
    const injection: Injection =
      replicas === undefined ? { id, params, targets: nodes } : { id, params, targets: nodes, replicas };
    this.records.push(record);
    this.active.set(id, {
      record,
      injection,
      remaining: new Set(nodes),
      ...(replicas === undefined ? {} : { replicasLeft: new Set(replicas.map((r) => r.id)) }),
    });
    this.trace.record({
      t: now,
      kind: 'fault.injected',
      source: 'chaos',
      id,
      fault: params.kind,
      targets: record.targets,
    });
    // The row and the injection share one kind by construction, but TypeScript cannot correlate two values
    // of one union (microsoft/TypeScript#30581): the casts to `never` here and below say so, and no more.
    definitionOf(params).inject({ cluster: this.cluster, nowMs: now }, injection as never);
    for (const l of this.injectedListeners) l(record);
    const durationMs = params.durationMs;
    if (durationMs !== undefined) this.kernel.after(durationMs, () => this.expire(id));
    return record;
  }

  /** Ends a fault everywhere it is still in effect. */
  expire(id: FaultId): void {
    const f = this.active.get(id);
    if (f === undefined) return;
    const nodes = [...f.remaining];
    definitionOf(f.injection.params).clear(
      { cluster: this.cluster, nowMs: this.kernel.nowMs },
      f.injection as never,
      nodes,
    );
    // A crash that expires reboots the node; the fault clears when it is up (see nodeStateChanged).
    if (f.injection.params.kind !== 'node-crash') this.close(f);
  }

  nodeStateChanged(node: NodeRuntime, nowMs: number): void {
    if (node.state !== 'up') return;
    for (const f of [...this.active.values()]) {
      if (!f.remaining.has(node)) continue;
      const def = definitionOf(f.injection.params);
      if (def.clearedByNodeUp) {
        f.remaining.delete(node);
      } else if (def.clearedByReboot(f.injection.params as never)) {
        def.clear({ cluster: this.cluster, nowMs }, f.injection as never, [node]);
        f.remaining.delete(node);
      }
      if (f.remaining.size === 0) this.close(f);
    }
  }

  serviceUpdated(_service: ServiceRuntime, _nowMs: number): void {}

  private close(f: ActiveFault): void {
    if (this.active.get(f.record.id) !== f) return;
    const now = this.kernel.nowMs;
    f.record.clearedAtMs = now;
    this.active.delete(f.record.id);
    this.trace.record({ t: now, kind: 'fault.cleared', source: 'chaos', id: f.record.id });
  }

  /** What a fault lands on: nodes, and for a process fault the replicas (the nodes are theirs). */
  private targetsOf(params: FaultParams): Result<{ nodes: NodeRuntime[]; replicas?: Replica[] }, string> {
    if (params.kind === 'dependency-failure')
      return this.cluster.traffic.callEdge(params.from, params.to) === undefined
        ? err(`no call from ${params.from} to ${params.to}`)
        : ok({ nodes: [] });
    if (isProcessFault(params)) {
      // Replicas already holding another process fault are passed over by a random target.
      const held = new Set<string>();
      for (const f of this.active.values()) for (const r of f.replicasLeft ?? []) held.add(r);
      const replicas = resolveProcessReplicas(params, this.cluster, this.rng, (r) => !held.has(r.id));
      if (!replicas.ok) return replicas;
      return ok({ nodes: [...new Set(replicas.value.map((r) => r.node))], replicas: replicas.value });
    }
    const nodes = this.nodeTargetsOf(params);
    return nodes.ok ? ok({ nodes: nodes.value }) : nodes;
  }

  private nodeTargetsOf(params: FaultParams): Result<NodeRuntime[], string> {
    // A dependency failure holds no node (checked in targetsOf).
    if (params.kind === 'dependency-failure') return ok([]);
    if (params.kind === 'load-spike') {
      const unknown = params.services.find((s) => this.cluster.service(s) === undefined);
      return unknown === undefined ? ok([]) : err(`unknown service ${unknown}`);
    }
    // Timeline faults with a random target avoid nodes already under a fault and, for kinds that need one,
    // nodes that are down. (Generated faults draw their nodes in `arrive`, independent of state.)
    const busy = new Set<NodeRuntime>();
    for (const f of this.active.values()) for (const n of f.remaining) busy.add(n);
    const eligible = (n: NodeRuntime) =>
      !busy.has(n) &&
      (params.kind === 'node-crash' || params.kind === 'resource-exhaustion' ? n.state === 'up' : true);
    if (params.kind !== 'network-partition')
      return resolveTargets(params.target, this.cluster, this.rng, eligible);
    const split = params.split;
    if (split.kind === 'isolate') return resolveTargets(split.target, this.cluster, this.rng, eligible);
    const side = partitionSides(this.cluster, split, []);
    const control = side[this.cluster.nodes.length];
    return ok(this.cluster.nodes.filter((n) => side[n.index] !== control));
  }

  private scheduleArrival(gen: RandomFaults, fromMs: number): void {
    const at = fromMs + Math.max(1, Math.round(this.rng.exponential(gen.meanIntervalMs)));
    if (gen.untilMs !== undefined && at >= gen.untilMs) return;
    this.kernel.at(at, () => {
      this.arrive(gen);
      this.scheduleArrival(gen, at);
    });
  }

  /**
   * One arrival of a generator. Everything is decided from the `chaos` stream and the schedule alone, never
   * from the cluster's state: kind, duration, parameters, targets (nodes outside every other generated fault's
   * nominal window) and whether the arrival is skipped (`maxConcurrent` nominal windows already open). So
   * every policy faces the same faults on the same seed, whatever it did to the cluster.
   */
  private arrive(gen: RandomFaults): void {
    const now = this.kernel.nowMs;
    const open = this.windows.filter((w) => w.untilMs > now);
    this.windows.splice(0, this.windows.length, ...open);
    const kind = this.rng.weighted(gen.kinds);
    const durationMs = drawDuration(this.rng, gen.duration);
    if (kind === undefined) return;
    const taken = new Set(open.flatMap((w) => w.nodes));
    const drawn = resolveTargets(
      { kind: 'random', radius: gen.blastRadius },
      this.cluster,
      this.rng,
      (n) => !taken.has(n.id),
    );
    const nodes = drawn.ok ? drawn.value.map((n) => n.id as string) : [];
    const params = definitionOf({ kind } as FaultParams).random(
      this.rng,
      gen,
      durationMs,
      { kind: 'nodes', nodes },
      this.cluster.spec,
    );
    const mine = open.filter((w) => w.generator === gen).length;
    if (mine >= gen.maxConcurrent || nodes.length === 0) {
      this.trace.record({ t: now, kind: 'fault.deferred', source: 'chaos', fault: kind });
      return;
    }
    // A load spike holds no node, so it keeps none from the other generated faults.
    this.windows.push({
      generator: gen,
      untilMs: now + durationMs,
      nodes: kind === 'load-spike' || kind === 'dependency-failure' ? [] : nodes,
    });
    this.inject(params, 'random');
  }
}

/**
 * What a fault hits, for detection: a spike's services; a dependency failure's edge (`caller->callee`) and
 * its caller, where the failing calls are seen (never the healthy callee); the nodes, replicas and services
 * on a node fault's targets.
 */
const componentsOf = (cluster: Cluster, params: FaultParams, nodes: readonly NodeRuntime[]): string[] => {
  if (params.kind === 'load-spike') return spikedServices(cluster, params);
  if (params.kind === 'dependency-failure') return [`${params.from}->${params.to}`, params.from];
  return componentsOn(nodes);
};

const componentsOn = (nodes: readonly NodeRuntime[]): string[] => {
  const out = new Set<string>();
  for (const n of nodes) {
    out.add(n.id);
    for (const r of n.replicas) {
      out.add(r.id);
      out.add(r.service.spec.name);
    }
  }
  return [...out];
};

const detailOf = (params: FaultParams): Record<string, unknown> => {
  const { kind: _kind, ...rest } = params;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
};
