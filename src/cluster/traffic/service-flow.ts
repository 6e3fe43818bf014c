import type { Network } from '../network.ts';
import { callerConcurrency, callerServiceTimeMs } from '../queueing/call-composition.ts';
import {
  busyWorkers,
  DEFAULT_QUEUE_LIMIT,
  defaultConcurrency,
  workerServiceTimeMs,
} from '../queueing/replica-queue.ts';
import { mixtureQuantileMs } from '../queueing/response-mixture.ts';
import { responseMeanMs, responseQuantileMs } from '../queueing/response-time.ts';
import {
  advanceServiceTraffic,
  type QueueSlot,
  type ServiceTraffic,
  settleServiceTraffic,
} from '../queueing/service-traffic.ts';
import { controlReachable, routable } from '../reach.ts';
import type { Owned, Replica, ReplicaFlowField, ServiceFlowField, ServiceRuntime } from '../runtime.ts';
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
 * stretches their response times. Writes go to the primary while the service accepts them, outside the queue
 * (as v0.1 did: the log's throughput is not modelled). Writes every replica's rates and the service's served,
 * goodput, timeout, retry, backlog and latency fields. Returns when the next backlog crossing is due (ms of sim
 * time, maybe +Infinity): the caller makes it a kernel event and calls this again then.
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
  const writer = writes > 0 && s.writable ? s.primary : null;
  // Most recomputes change nothing this service's queues see (a probe elsewhere, a role refresh): with every
  // input as it was and no backlog moving, the settled state still holds and the settle is skipped.
  let changed =
    st.settledBusy ||
    !Number.isNaN(st.retryHoldUntilMs) ||
    st.settledOriginalRps !== reads ||
    st.settledPolicy !== st.policy ||
    st.count !== s.replicas.length ||
    st.settledWrites !== writes ||
    st.settledWriter !== writer ||
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
    const capacity = controlReachable(network, r) ? spec.capacityRps * r.node.condition.capacityFactor : 0;
    const slotShare = routable(r) ? share : 0;
    const answers = capacity > 0;
    const latencyFactor = r.node.condition.latencyFactor;
    if (slot.share !== slotShare || slot.answers !== answers || slot.latencyFactor !== latencyFactor)
      changed = true;
    slot.share = slotShare;
    slot.answers = answers;
    slot.latencyFactor = latencyFactor;
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
  st.settledWriter = writer;
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
    r.servedRps = level.servedRps;
    r.failedRps = slot.answers ? level.rejectedRps : level.offeredRps;
    r.timeoutRps = level.timedOutRps;
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
    served += level.servedRps;
    goodput += level.goodputRps;
    timedOut += level.timedOutRps;
    rejected += level.rejectedRps;
    backlog += slot.queue.backlog;
    latencyWeighted += level.servedRps * r.latencyMs;
  }
  s.writeRps = writes;
  const primary: FlowReplica | null = s.primary;
  if (writes > 0 && primary !== null) {
    if (s.writable) {
      primary.servedRps += writes;
      served += writes;
      goodput += writes;
      latencyWeighted += writes * primary.latencyMs;
      const at = s.replicas.indexOf(primary);
      const part = st.slots[at]?.part ?? -1;
      const w = st.mixture.weights;
      if (part >= 0 && part < st.count) w[part] = (w[part] ?? 0) + writes;
    } else {
      primary.failedRps += writes;
    }
  }
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
