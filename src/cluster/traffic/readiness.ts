import type { Millis } from '../../base/duration.ts';
import type { Network } from '../network.ts';
import type { Replica } from '../runtime/records.ts';

/**
 * Who decides which replicas a service's traffic goes to. `active-health-checks`: a load balancer probing every
 * replica from the control plane (an AWS target group, HAProxy), the default. `endpoints`: a Kubernetes Service,
 * whose endpoints list a pod as long as its node's kubelet last reported it Ready (readiness probe, run on the
 * node); a pod on a node that can no longer report stays listed until the control plane marks it not ready.
 */
export type LbMembership = 'active-health-checks' | 'endpoints';

/** A readiness probe's timing, as a pod spec states it. */
export interface ReadinessProbeSpec {
  /** `periodSeconds`: one probe per period, at the pod's own phase. */
  readonly periodMs: Millis;
  /** `failureThreshold`: consecutive failed probes before the pod is not ready. */
  readonly failureThreshold: number;
  /** `successThreshold`: consecutive passed probes before the pod is ready again. */
  readonly successThreshold: number;
  /** The kubelet's pod lifecycle event relist: how soon it sees a container that stopped running. */
  readonly relistPeriodMs: Millis;
}

/**
 * Kubernetes' defaults: `periodSeconds` 10, `failureThreshold` 3, `successThreshold` 1 (Configure Liveness,
 * Readiness and Startup Probes, kubernetes.io); the kubelet's generic PLEG relists every 1 s
 * (pkg/kubelet/kubelet.go, `genericPlegRelistPeriod`), and a container that is not running is not ready.
 */
export const READINESS_PROBE_DEFAULTS: ReadinessProbeSpec = {
  periodMs: 10_000,
  failureThreshold: 3,
  successThreshold: 1,
  relistPeriodMs: 1_000,
};

/** Whether a replica's node can tell the control plane about it: its kubelet runs and reaches the API server. */
export const kubeletReporting = (network: Network, r: Replica): boolean =>
  r.node.state === 'up' && network.controlLinked(r.node.index);

/**
 * Whether the readiness probe would pass now: the container runs, is not hung, on an up node that has
 * capacity left to answer. The probe runs on the node itself, so the network between the node and the rest plays no part.
 * Latency timeouts are not modelled (a probe only fails on a container that cannot answer at all).
 */
export const readinessPasses = (r: Replica): boolean =>
  r.state === 'running' && r.node.state === 'up' && r.node.condition.capacityFactor > 0 && !r.hung;

/** A replica's probe phase within the period: spread by its service and creation number, without randomness. */
export const readinessPhaseMs = (r: Replica, periodMs: number): number =>
  ((r.service.index * 104_729 + r.slot * 7_919) % periodMs) + 1;

/**
 * When the endpoints take in (`ready`) or drop (`!ready`) a replica whose probe result changed at `nowMs`. A
 * container that stopped running is not ready at the next relist; one that runs but cannot answer leaves on its
 * `failureThreshold`-th failed probe; a ready one joins on its `successThreshold`-th passed probe. Probes fall
 * at phase + k x period; the first one counted is the first strictly after the change.
 */
export const endpointFlipAtMs = (
  r: Replica,
  nowMs: number,
  ready: boolean,
  probe: ReadinessProbeSpec,
): number => {
  if (!ready && r.state !== 'running') {
    return (Math.floor(nowMs / probe.relistPeriodMs) + 1) * probe.relistPeriodMs;
  }
  const period = probe.periodMs;
  const phase = readinessPhaseMs(r, period);
  const firstProbe = phase + Math.floor((nowMs - phase) / period + 1) * period;
  const threshold = ready ? probe.successThreshold : probe.failureThreshold;
  return firstProbe + (threshold - 1) * period;
};
