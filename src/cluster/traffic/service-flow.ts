import type { Network } from '../network.ts';
import { latencyMultiplier } from '../queueing.ts';
import { controlReachable, routable } from '../reach.ts';
import type { Owned, Replica, ReplicaFlowField, ServiceFlowField, ServiceRuntime } from '../runtime.ts';

type FlowReplica = Owned<Replica, ReplicaFlowField>;
type FlowService = Owned<ServiceRuntime, ServiceFlowField>;

/**
 * The one place a service's flow is computed from its replicas' capacities: the load balancer spreads the
 * admitted reads evenly over the replicas in rotation, each serves what its capacity allows (its node's
 * condition scales it) at a latency that grows with its utilisation, and writes go to the primary while the
 * service accepts them. Writes every replica's rates and the service's served rate, write rate and latency.
 * A queueing model with backlog, timeouts and retries replaces this function, not its callers.
 */
export const flowThrough = (service: ServiceRuntime, network: Network): void => {
  const s: FlowService = service;
  const admitted = s.offeredRps * (1 - s.shedFraction);
  const writes = admitted * s.writeRatio;
  const reads = admitted - writes;
  let inRotation = 0;
  for (const r of s.replicas) if (routable(r)) inRotation++;
  const share = inRotation > 0 ? reads / inRotation : 0;
  const capacity = s.spec.capacityRps;
  let served = 0;
  let latencyWeighted = 0;
  for (const replica of s.replicas) {
    const r: FlowReplica = replica;
    const routed = routable(r) ? share : 0;
    const c = controlReachable(network, r) ? capacity * r.node.condition.capacityFactor : 0;
    const ok = Math.min(routed, c);
    r.utilisation = c > 0 ? ok / c : 0;
    r.latencyMs =
      c > 0 ? s.spec.latencyMs * r.node.condition.latencyFactor * latencyMultiplier(r.utilisation) : 0;
    r.servedRps = ok;
    r.failedRps = routed - ok;
    r.latencyP99Ms = r.latencyMs;
    r.backlog = 0;
    r.timeoutRps = 0;
    served += ok;
    latencyWeighted += ok * r.latencyMs;
  }
  s.writeRps = writes;
  const primary: FlowReplica | null = s.primary;
  if (writes > 0 && primary !== null) {
    if (s.writable) {
      primary.servedRps += writes;
      served += writes;
      latencyWeighted += writes * primary.latencyMs;
    } else {
      primary.failedRps += writes;
    }
  }
  s.servedRps = served;
  s.latencyMs = served > 0 ? latencyWeighted / served : 0;
  s.originalRps = admitted;
  s.retryRps = 0;
  s.goodputRps = served;
  s.timeoutRps = 0;
  s.rejectedRps = 0;
  s.backlog = 0;
  s.latencyP50Ms = s.latencyMs;
  s.latencyP99Ms = s.latencyMs;
};
