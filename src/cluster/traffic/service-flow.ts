import type { Network } from '../network.ts';
import { callerConcurrency, callerServiceTimeMs } from '../queueing/call-composition.ts';
import {
  busyWorkers,
  DEFAULT_QUEUE_LIMIT,
  defaultConcurrency,
  workerServiceTimeMs,
} from '../queueing/replica-queue.ts';
import { appendMixturePart, mixtureQuantileMs } from '../queueing/response-mixture.ts';
import { responseMeanMs, responseQuantileMs } from '../queueing/response-time.ts';
import {
  advanceServiceTraffic,
  type QueueSlot,
  type ServiceTraffic,
  settleServiceTraffic,
} from '../queueing/service-traffic.ts';
import { controlReachable, routable } from '../reach.ts';
import type { Owned, ReplicaFlowField, ServiceFlowField } from '../runtime/ownership.ts';
import type { Replica, ServiceRuntime } from '../runtime/records.ts';
import type { ServiceSpec } from '../spec.ts';

type FlowReplica = Owned<Replica, ReplicaFlowField>;
type FlowService = Owned<ServiceRuntime, ServiceFlowField>;

/** Workers per replica: the scenario's `concurrency`, else Little's law on its capacity and service time. */
export const concurrencyOf = (spec: ServiceSpec): number =>
  spec.concurrency ?? defaultConcurrency(spec.capacityRps, spec.latencyMs);

/** Workers per replica of a running service: a caller's default also holds a worker over its idle call path. */
export const serversOf = (s: ServiceRuntime): number =>
  s.calls.length === 0
    ? concurrencyOf(s.spec)
    : callerConcurrency(s.spec.capacityRps, s.spec.latencyMs, s.idleCallHoldMs, s.spec.concurrency);

/** One worker's service time at `capacity`: a caller's includes the time its calls hold the worker now. */
const serviceTimeOf = (s: ServiceRuntime, capacity: number, servers: number): number =>
  s.calls.length === 0
    ? workerServiceTimeMs(capacity, servers)
    : callerServiceTimeMs(
        s.spec.capacityRps,
        capacity,
        servers,
        s.spec.latencyMs,
        s.idleCallHoldMs,
        s.callHoldMs,
      );

/** Largest backlog per replica: the scenario's `queueLimit`, else Envoy's default 1024 pending requests. */
export const queueLimitOf = (spec: ServiceSpec): number => spec.queueLimit ?? DEFAULT_QUEUE_LIMIT;

/**
 * The one place a service's flow is computed from its replicas: each replica is an M/M/c queue with a bounded
 * FIFO fluid backlog (src/cluster/queueing/), the load balancer spreads the admitted reads and their clients'
 * retries evenly over the replicas in rotation, and the retry fixed point is solved over them all at the
 * backlogs reached by `nowMs`. A node's capacity factor sets its replicas' service rate, its latency factor
 * stretches their response times. Writes go to the primary's queue while the service accepts them, on top of
 * its share of the reads, so they take its workers; they are not retried (clients retry non-idempotent requests
 * only when told to) and under `sync` or `quorum` each is acknowledged one replication round trip after the
 * primary served it. Writes every replica's rates and the service's served, goodput, timeout, retry, backlog
 * and latency fields. Returns when the next backlog crossing is due (ms of sim time, maybe +Infinity): the
 * caller makes it a kernel event and calls this again then.
 */
export const flowThrough = (
  service: ServiceRuntime,
  network: Network,
  st: ServiceTraffic,
  slotOf: (r: Replica) => QueueSlot,
  nowMs: number,
): number => {
  const s: FlowService = service;
  // The past keeps its rates: every queue moves to now before anything about it changes.
  advanceServiceTraffic(st, nowMs);
  const admitted = s.offeredRps * (1 - s.shedFraction);
  const writes = admitted * s.writeRatio;
  const reads = admitted - writes;
  const spec = s.spec;
  const servers = serversOf(s);
  const queueLimit = queueLimitOf(spec);
  let inRotation = 0;
  for (const r of s.replicas) if (routable(r)) inRotation++;
  const share = inRotation > 0 ? 1 / inRotation : 0;
  // The primary the writes address, and the one that takes them (none while the service refuses writes).
  const addressed = writes > 0 ? s.primary : null;
  const writer = s.writable ? addressed : null;
  // Most recomputes change nothing this service's queues see (a probe elsewhere, a role refresh): with every
  // input as it was and no backlog moving, the settled state still holds and the settle is skipped.
  let changed =
    st.settledBusy ||
    !Number.isNaN(st.retryHoldUntilMs) ||
    st.settledOriginalRps !== reads ||
    st.settledPolicy !== st.policy ||
    st.count !== s.replicas.length ||
    st.settledWrites !== writes ||
    st.settledWriter !== addressed ||
    st.settledWritable !== s.writable ||
    st.callFailure !== s.callFailure;
  st.callFailure = s.callFailure;
  st.lostShare = inRotation > 0 ? 0 : 1;
  st.count = s.replicas.length;
  for (let i = 0; i < s.replicas.length; i++) {
    const r = s.replicas[i] as Replica;
    const slot = slotOf(r);
    if (st.slots[i] !== slot) changed = true;
    st.slots[i] = slot;
    const q = slot.queue;
    q.sinceMs = Math.max(q.sinceMs, nowMs);
    // A hung process answers nothing; a bad build slows and fails what it serves (the replica's own factors).
    const capacity =
      controlReachable(network, r) && !r.hung ? spec.capacityRps * r.node.condition.capacityFactor : 0;
    const slotShare = routable(r) ? share : 0;
    const extraRps = r === writer ? writes : 0;
    const answers = capacity > 0;
    const latencyFactor = r.node.condition.latencyFactor * r.processLatencyFactor;
    const errorRate = r.processErrorRate;
    if (
      slot.share !== slotShare ||
      slot.extraRps !== extraRps ||
      slot.answers !== answers ||
      slot.latencyFactor !== latencyFactor ||
      slot.errorRate !== errorRate
    )
      changed = true;
    slot.share = slotShare;
    slot.extraRps = extraRps;
    slot.answers = answers;
    slot.latencyFactor = latencyFactor;
    slot.errorRate = errorRate;
    if (answers) {
      const serviceTimeMs = serviceTimeOf(s, capacity, servers);
      if (q.servers !== servers || q.serviceTimeMs !== serviceTimeMs || q.queueLimit !== queueLimit)
        changed = true;
      if (q.backlog > 0 || q.arrivalRps * serviceTimeMs > 1000 * servers) changed = true;
      q.servers = servers;
      q.serviceTimeMs = serviceTimeMs;
      q.queueLimit = queueLimit;
    }
  }
  if (!changed) {
    s.degradedRps = s.callDegraded > 0 ? s.goodputRps * s.callDegraded : 0;
    return st.settledNextMs;
  }
  st.settledOriginalRps = reads;
  st.settledPolicy = st.policy;
  st.settledWrites = writes;
  st.settledWriter = addressed;
  st.settledWritable = s.writable;
  const next = settleServiceTraffic(st, reads, nowMs);
  let served = 0;
  let goodput = 0;
  let timedOut = 0;
  let rejected = 0;
  let backlog = 0;
  let latencyWeighted = 0;
  for (let i = 0; i < st.count; i++) {
    const r: FlowReplica = s.replicas[i] as Replica;
    const slot = st.slots[i] as QueueSlot;
    const level = slot.level;
    // Answers its build turns into errors are failures, not service: the rest is served as the queue says.
    const ok = 1 - slot.errorRate;
    r.servedRps = level.servedRps * ok;
    r.failedRps = slot.answers ? level.rejectedRps + level.servedRps * slot.errorRate : level.offeredRps;
    r.timeoutRps = level.timedOutRps * ok;
    r.backlog = slot.queue.backlog;
    r.utilisation = slot.answers ? busyWorkers(slot.queue) / slot.queue.servers : 0;
    const twin = slot.answers && slot.part !== i ? s.replicas[slot.part] : undefined;
    if (twin !== undefined) {
      // The same queue state as an earlier replica: the same response time.
      r.latencyMs = twin.latencyMs;
      r.latencyP99Ms = twin.latencyP99Ms;
    } else {
      r.latencyMs = slot.answers ? responseMeanMs(level.response) : 0;
      r.latencyP99Ms = slot.answers && level.servedRps > 0 ? responseQuantileMs(level.response, 0.99) : 0;
    }
    served += r.servedRps;
    goodput += level.goodputRps * ok;
    timedOut += r.timeoutRps;
    rejected += level.rejectedRps;
    backlog += slot.queue.backlog;
    latencyWeighted += r.servedRps * r.latencyMs;
  }
  s.writeRps = writes;
  const writesServed = writer === null ? 0 : acknowledgeWrites(s, st, writer, writes);
  s.writeAckRps = writesServed;
  latencyWeighted += writesServed * writeRoundTripMs(spec);
  // Writes a service cannot take now (no primary accepting them) fail at the primary the clients address.
  const refusing: FlowReplica | null = writer === null ? addressed : null;
  if (refusing !== null) refusing.failedRps += writes;
  s.servedRps = served;
  // A call without a fallback that failed fails the request; a fallback answers it, degraded.
  s.goodputRps = s.callFailure > 0 ? goodput * (1 - s.callFailure) : goodput;
  s.degradedRps = s.callDegraded > 0 ? s.goodputRps * s.callDegraded : 0;
  s.timeoutRps = timedOut;
  s.rejectedRps = rejected;
  s.backlog = backlog;
  s.originalRps = admitted;
  s.retryRps = Math.max(0, st.offeredRps - reads);
  s.latencyMs = served > 0 ? latencyWeighted / served : 0;
  s.latencyP50Ms = served > 0 ? mixtureQuantileMs(st.mixture, 0.5) : 0;
  s.latencyP95Ms = served > 0 ? mixtureQuantileMs(st.mixture, 0.95) : 0;
  s.latencyP99Ms = served > 0 ? mixtureQuantileMs(st.mixture, 0.99) : 0;
  st.settledNextMs = next;
  return next;
};

/** What a write waits for after the primary served it: one round trip to the replicas under `sync` and `quorum`. */
export const writeRoundTripMs = (spec: ServiceSpec): number => {
  const st = spec.stateful;
  return st === undefined || st.replication === 'async' ? 0 : st.rttMs;
};

/**
 * Writes the primary's queue served (its level's served rate, less what its build fails, times the writes'
 * share of its arrivals), and
 * their place in the service's response mixture: a part of their own, the primary's response one round trip
 * later, when the writes wait for replicas. Returns the writes served per second.
 */
const acknowledgeWrites = (s: FlowService, st: ServiceTraffic, writer: Replica, writes: number): number => {
  const at = s.replicas.indexOf(writer);
  const slot = st.slots[at];
  if (slot === undefined || !slot.answers || slot.queue.arrivalRps <= 0) return 0;
  // A write its build fails is not acknowledged (a bad deploy on the primary).
  const served = (slot.level.servedRps * (1 - slot.errorRate) * writes) / slot.queue.arrivalRps;
  const rtt = writeRoundTripMs(s.spec);
  const part = slot.part;
  if (rtt > 0 && served > 0 && part >= 0) {
    const w = st.mixture.weights;
    w[part] = Math.max(0, (w[part] ?? 0) - served);
    appendMixturePart(st.mixture, slot.level.response, rtt, served);
  }
  return served;
};
