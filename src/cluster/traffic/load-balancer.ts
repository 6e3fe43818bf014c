import type { SimKernel } from '../../sim/kernel.ts';
import type { Trace } from '../../sim/trace.ts';
import type { Network } from '../network.ts';
import { controlReachable } from '../reach.ts';
import type { LoadBalancerField, Owned } from '../runtime/ownership.ts';
import type { Replica, ServiceRuntime } from '../runtime/records.ts';
import type { LoadBalancerSpec } from '../spec.ts';
import {
  endpointFlipAtMs,
  kubeletReporting,
  type LbMembership,
  READINESS_PROBE_DEFAULTS,
  type ReadinessProbeSpec,
  readinessPasses,
} from './readiness.ts';

type LbReplica = Owned<Replica, LoadBalancerField>;

/**
 * Which replicas get traffic, by one of two mechanisms (`LbMembership`). Active health checks: the belief about
 * each replica trails the truth by `threshold` consecutive checks at the replica's own phase. Endpoints: the
 * belief follows what each replica's kubelet reports of its readiness probe (src/cluster/traffic/readiness.ts),
 * and stays as last reported while the kubelet cannot report (node down or cut off from the control plane),
 * until the controller takes the node out (`drain-node`, as the node lifecycle controller marks its pods not
 * ready). Owns the replicas' `probeOk`, `lbHealthy` and flip timers.
 */
export class LoadBalancer {
  private mode: LbMembership = 'active-health-checks';
  private readiness: ReadinessProbeSpec = READINESS_PROBE_DEFAULTS;

  constructor(
    private readonly spec: LoadBalancerSpec,
    private readonly kernel: SimKernel,
    private readonly trace: Trace,
    private readonly network: Network,
    /** Recomputes a service's flow after a flip. */
    private readonly changed: (s: ServiceRuntime) => void,
  ) {}

  /** The health-check phase of replica number `n` of a service: spread without drawing randomness. */
  phaseMs(serviceIndex: number, n: number): number {
    return ((serviceIndex * 104_729 + n * 7_919) % this.spec.healthCheckIntervalMs) + 1;
  }

  /** The mechanism in use. */
  get membership(): LbMembership {
    return this.mode;
  }

  /** Chooses the mechanism, before anything runs (the world does, from its controller). */
  useMembership(mode: LbMembership, readiness: ReadinessProbeSpec = READINESS_PROBE_DEFAULTS): void {
    this.mode = mode;
    this.readiness = readiness;
  }

  /** Starts or cancels the lagging flip for every replica whose health, as the mechanism sees it, changed. */
  refreshProbes(s: ServiceRuntime): void {
    if (this.mode === 'endpoints') this.refreshEndpoints(s);
    else this.refreshHealthChecks(s);
  }

  private refreshHealthChecks(s: ServiceRuntime): void {
    const lb = this.spec;
    const now = this.kernel.nowMs;
    for (const replica of s.replicas) {
      const r: LbReplica = replica;
      if (r.state === 'removed') continue;
      // A hung process does not answer its health check either.
      const probeOk = controlReachable(this.network, r) && !r.hung;
      if (probeOk === r.probeOk) continue;
      r.probeOk = probeOk;
      if (r.lbFlipTimer !== null) {
        this.kernel.cancel(r.lbFlipTimer);
        r.lbFlipTimer = null;
      }
      if (probeOk === r.lbHealthy) continue;
      // The first check after the change sees it; the flip needs `threshold` consecutive such checks.
      const interval = lb.healthCheckIntervalMs;
      const firstCheck = r.lbPhaseMs + Math.floor((now - r.lbPhaseMs) / interval + 1) * interval;
      const threshold = probeOk ? lb.healthyThreshold : lb.unhealthyThreshold;
      this.flipAt(s, r, firstCheck + (threshold - 1) * interval);
    }
  }

  /**
   * Endpoints: `probeOk` is the readiness the kubelet last reported. While it cannot report, the endpoint
   * stays as it is (a pending flip is dropped: no report will make it); once it can, the probe result counts.
   */
  private refreshEndpoints(s: ServiceRuntime): void {
    const now = this.kernel.nowMs;
    for (const replica of s.replicas) {
      const r: LbReplica = replica;
      if (r.state === 'removed') continue;
      const ready = kubeletReporting(this.network, r) ? readinessPasses(r) : r.lbHealthy;
      if (ready === r.probeOk) continue;
      r.probeOk = ready;
      if (r.lbFlipTimer !== null) {
        this.kernel.cancel(r.lbFlipTimer);
        r.lbFlipTimer = null;
      }
      if (ready === r.lbHealthy) continue;
      this.flipAt(s, r, endpointFlipAtMs(r, now, ready, this.readiness));
    }
  }

  private flipAt(s: ServiceRuntime, r: LbReplica, atMs: number): void {
    r.lbFlipTimer = this.kernel.at(atMs, () => {
      r.lbFlipTimer = null;
      r.lbHealthy = r.probeOk;
      this.trace.record({ t: this.kernel.nowMs, kind: r.lbHealthy ? 'lb.in' : 'lb.out', source: r.id });
      this.changed(s);
    });
  }

  /** Forgets a removed replica: a pending flip would act on nothing. */
  forget(replica: Replica): void {
    const r: LbReplica = replica;
    if (r.lbFlipTimer !== null) this.kernel.cancel(r.lbFlipTimer);
    r.lbFlipTimer = null;
  }
}
