import type { ClusterListener } from '../../cluster/cluster.ts';
import type { ReplicaId } from '../../cluster/ids.ts';
import type { Network } from '../../cluster/network.ts';
import { isAlive } from '../../cluster/reach.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from '../../cluster/runtime/records.ts';
import type { LoadBalancerSpec } from '../../cluster/spec.ts';
import type { LbMembership } from '../../cluster/traffic/readiness.ts';
import type { InvariantName, InvariantViolation } from './invariant-violation.ts';

/** Writes below this are rounding in the fluid log, not lost writes. */
const WRITE_EPSILON = 1e-6;

/** Whether a replica would acknowledge a write now: it believes it leads, runs, and has neither fenced nor paused. */
const acceptsWrites = (r: Replica): boolean =>
  r.role === 'primary' && isAlive(r) && !r.fenced && !r.writesPaused;

/**
 * Reads per second the load balancer sends the replica (served and failed alike). Writes are left out: they
 * follow the primary role, not the rotation, and writes failing at a dead primary until a failover are
 * unavailability (measured as such), not a routing mistake.
 */
const routedRps = (r: Replica): number =>
  r.servedRps + r.failedRps - (r === r.service.primary ? r.service.writeRps : 0);

/**
 * Whether a replica sees a majority of its service's replicas (itself included) alive and connected to its
 * node: ground truth, judged apart from the promotion's own rule in src/cluster/effects/promote-replica.ts.
 */
const seesMajority = (network: Network, r: Replica): boolean => {
  let members = 0;
  let seen = 0;
  for (const other of r.service.replicas) {
    if (other.state === 'removed') continue;
    members++;
    if (isAlive(other) && network.connected(r.node.index, other.node.index)) seen++;
  }
  return seen > members / 2;
};

/** Whether a service's write acknowledgements need a majority (sync's and quorum's guarantee holds then). */
const acksNeedMajority = (s: ServiceRuntime): boolean => {
  const spec = s.spec.stateful;
  if (spec === undefined) return false;
  return spec.replication === 'sync' || (spec.replication === 'quorum' && spec.acks > s.spec.replicas / 2);
};

/** Rates below this are rounding in the flow's sums, not traffic. */
const RPS_EPSILON = 1e-9;

/**
 * Online safety checks of a run, on ground truth: never two primaries of a service accepting writes at once,
 * no acknowledged write lost under synchronous replication (or a majority quorum), no promotion under quorum of
 * a replica that does not see a majority of its service, no traffic to a removed replica, and no traffic
 * to a dead one for longer than the load balancer's health checks take to notice (`unhealthyThreshold` x
 * `healthCheckIntervalMs`, the most the model's lagging flip may take). That last bound is the health checks':
 * under a Service's endpoints (`LbMembership`) a dead pod stays routed until the controller drains its node,
 * as Kubernetes does for its node grace period, so the checker leaves it to the controller. A cluster listener: it runs when a
 * service is recomputed, which every change that could break an invariant ends with, so its cost grows with
 * changes, never with simulated time. Each violation is reported once, at the instant it began.
 */
export class InvariantChecker implements ClusterListener {
  private readonly found: InvariantViolation[] = [];
  /** Replica ids of each service's current two-primaries episode, so it is reported once. */
  private readonly splitEpisode = new Map<ServiceRuntime, string>();
  private readonly lostSeen = new Map<ServiceRuntime, number>();
  private readonly committedSeen = new Map<ServiceRuntime, number>();
  /** Each quorum service's primary at its last recompute, to judge every change of primary once. */
  private readonly primarySeen = new Map<ServiceRuntime, Replica | null>();
  /** Since when each dead replica has been routed traffic. */
  private readonly deadRoutedSince = new Map<Replica, number>();
  private readonly reported = new Set<string>();
  private readonly deadBoundMs: number;

  constructor(
    loadBalancer: LoadBalancerSpec,
    /** The membership in use, asked when judging (the controller, attached after this, chooses it). */
    private readonly membership: () => LbMembership = () => 'active-health-checks',
    /** The network, for the quorum check (without it, promotions are not judged). */
    private readonly network: Network | null = null,
  ) {
    this.deadBoundMs = loadBalancer.unhealthyThreshold * loadBalancer.healthCheckIntervalMs;
  }

  /** The violations found so far, in the order they began. */
  get violations(): readonly InvariantViolation[] {
    return [...this.found].sort((a, b) => a.atMs - b.atMs);
  }

  serviceUpdated(s: ServiceRuntime, nowMs: number): void {
    if (s.spec.stateful !== undefined) {
      this.checkPrimaries(s, nowMs);
      if (acksNeedMajority(s)) this.checkLostWrites(s, nowMs);
      if (s.spec.stateful.replication === 'quorum') this.checkPromotion(s, nowMs);
    }
    this.checkRouting(s, nowMs);
  }

  nodeStateChanged(_node: NodeRuntime, _nowMs: number): void {
    // Every node change recomputes the services on it; the checks run there.
  }

  /** Closes the run: a dead replica still routed at the end is judged on the time it has been. */
  finish(nowMs: number): readonly InvariantViolation[] {
    for (const [r, since] of this.deadRoutedSince) this.judgeDeadRouting(r, since, nowMs);
    return this.violations;
  }

  private checkPrimaries(s: ServiceRuntime, nowMs: number): void {
    const writers = s.replicas.filter(acceptsWrites);
    if (writers.length < 2) {
      this.splitEpisode.delete(s);
      return;
    }
    const ids = writers.map((r) => r.id);
    const key = ids.join(',');
    if (this.splitEpisode.get(s) === key) return;
    this.splitEpisode.set(s, key);
    this.add('two-writable-primaries', nowMs, s, ids, 0, `${ids.join(' and ')} all accept writes`);
  }

  private checkPromotion(s: ServiceRuntime, nowMs: number): void {
    // The first recompute shows the primary the scenario started with: nobody promoted it.
    const first = !this.primarySeen.has(s);
    const before = this.primarySeen.get(s) ?? null;
    const now = s.primary;
    this.primarySeen.set(s, now);
    if (first || now === null || now === before || this.network === null) return;
    if (seesMajority(this.network, now)) return;
    this.add('minority-promotion', nowMs, s, [now.id], 0, `${now.id} promoted without a majority in sight`);
  }

  private checkLostWrites(s: ServiceRuntime, nowMs: number): void {
    const lostBefore = this.lostSeen.get(s) ?? 0;
    const committedBefore = this.committedSeen.get(s) ?? 0;
    this.lostSeen.set(s, s.lostWrites);
    this.committedSeen.set(s, s.committed);
    // Two readings of one fact: the lost-write ledger grew, or the log the clients were acknowledged shrank.
    const lost = Math.max(s.lostWrites - lostBefore, committedBefore - s.committed);
    if (lost <= WRITE_EPSILON) return;
    const primary = s.primary === null ? [] : [s.primary.id];
    this.add(
      'acknowledged-write-lost',
      nowMs,
      s,
      primary,
      lost,
      `${lost.toFixed(1)} acknowledged writes lost${primary.length > 0 ? ` (new primary ${primary[0]})` : ''}`,
    );
  }

  private checkRouting(s: ServiceRuntime, nowMs: number): void {
    for (const r of s.replicas) {
      const routed = routedRps(r) > RPS_EPSILON;
      if (routed && r.state === 'removed') {
        this.addOnce(
          'traffic-to-removed-replica',
          nowMs,
          s,
          r,
          `${routedRps(r).toFixed(1)} rps routed to removed ${r.id}`,
        );
      }
      if (routed && !isAlive(r)) {
        const since = this.deadRoutedSince.get(r) ?? nowMs;
        this.deadRoutedSince.set(r, since);
        this.judgeDeadRouting(r, since, nowMs);
      } else {
        this.deadRoutedSince.delete(r);
      }
    }
  }

  private judgeDeadRouting(r: Replica, sinceMs: number, nowMs: number): void {
    if (nowMs - sinceMs <= this.deadBoundMs || this.membership() === 'endpoints') return;
    const at = sinceMs + this.deadBoundMs;
    this.addOnce(
      'traffic-to-dead-replica',
      at,
      r.service,
      r,
      `${r.id} dead and still routed traffic ${this.deadBoundMs} ms after it died (since ${sinceMs} ms), past the load balancer's detection bound`,
      sinceMs,
    );
  }

  /** Reports a replica's violation once per episode (keyed by when the episode began). */
  private addOnce(
    invariant: InvariantName,
    atMs: number,
    s: ServiceRuntime,
    r: Replica,
    what: string,
    episode: number = Number.NaN,
  ): void {
    const key = `${invariant}/${r.id}/${episode}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.add(invariant, atMs, s, [r.id], 0, what);
  }

  private add(
    invariant: InvariantName,
    atMs: number,
    s: ServiceRuntime,
    replicas: readonly ReplicaId[],
    lostWrites: number,
    what: string,
  ): void {
    this.found.push({
      invariant,
      atMs,
      service: s.spec.name,
      replicas,
      lostWrites,
      message: `${invariant} at ${atMs} ms in service ${s.spec.name}: ${what}`,
    });
  }
}
