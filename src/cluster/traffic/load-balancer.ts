import type { SimKernel } from '../../sim/kernel.ts';
import type { Trace } from '../../sim/trace.ts';
import type { Network } from '../network.ts';
import { controlReachable } from '../reach.ts';
import type { LoadBalancerField, Owned, Replica, ServiceRuntime } from '../runtime.ts';
import type { LoadBalancerSpec } from '../spec.ts';

type LbReplica = Owned<Replica, LoadBalancerField>;

/**
 * The load balancer's health checks: its belief about each replica trails the truth by `threshold`
 * consecutive checks at the replica's own phase. Owns the replicas' `probeOk`, `lbHealthy` and flip timers.
 */
export class LoadBalancer {
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

  /** Starts or cancels the load balancer's lagging flip for every replica whose real health changed. */
  refreshProbes(s: ServiceRuntime): void {
    const lb = this.spec;
    const now = this.kernel.nowMs;
    for (const replica of s.replicas) {
      const r: LbReplica = replica;
      if (r.state === 'removed') continue;
      const probeOk = controlReachable(this.network, r);
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
      r.lbFlipTimer = this.kernel.at(firstCheck + (threshold - 1) * interval, () => {
        r.lbFlipTimer = null;
        r.lbHealthy = r.probeOk;
        this.trace.record({ t: this.kernel.nowMs, kind: r.lbHealthy ? 'lb.in' : 'lb.out', source: r.id });
        this.changed(s);
      });
    }
  }

  /** Forgets a removed replica: a pending flip would act on nothing. */
  forget(replica: Replica): void {
    const r: LbReplica = replica;
    if (r.lbFlipTimer !== null) this.kernel.cancel(r.lbFlipTimer);
    r.lbFlipTimer = null;
  }
}
