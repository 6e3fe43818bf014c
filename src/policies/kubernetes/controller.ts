import type { Controller, ControllerContext } from '../../world/controller.ts';
import { Inventory, trackPlacements } from '../inventory.ts';
import { every, type Periodic } from '../periodic.ts';
import { KUBERNETES_DEFAULTS, type KubernetesSettings } from './defaults.ts';
import { HorizontalPodAutoscaler } from './hpa.ts';
import { Kubelets } from './kubelet.ts';
import { NodeLifecycle } from './node-lifecycle.ts';
import { ReplicaSets } from './replica-sets.ts';

interface Running {
  readonly kubelets: Kubelets;
  readonly nodes: NodeLifecycle;
  readonly hpa: HorizontalPodAutoscaler;
  readonly timers: readonly Periodic[];
}

/**
 * What a Kubernetes cluster with default settings does on its own: node-local kubelets restart hung containers
 * (liveness probe, crash-loop back-off); the control plane marks silent nodes NotReady, takes their pods out of
 * the endpoints, evicts Deployment pods after the toleration and reschedules them, keeps ReplicaSets at their
 * count and autoscales on CPU. StatefulSets are never failed over. Numbers and sources: `KUBERNETES_DEFAULTS`.
 */
export const kubernetesController = (settings: KubernetesSettings = KUBERNETES_DEFAULTS): Controller => {
  let running: Running | null = null;

  const start = (ctx: ControllerContext): void => {
    const inventory = new Inventory(ctx.sensors);
    const kubelets = new Kubelets(ctx, settings.liveness, settings.crashLoopBackOff);
    kubelets.track({ added: inventory.all, removed: [] });
    // Every replica the control plane creates or deletes gets (or loses) its probe worker on its node.
    const effectors = trackPlacements(ctx.effectors, () => kubelets.track(inventory.refresh()));
    const nodes = new NodeLifecycle(ctx, inventory, effectors, settings.nodeLifecycle);
    const replicaSets = new ReplicaSets(ctx, inventory, effectors, (id) => nodes.evicting(id));
    const hpa = new HorizontalPodAutoscaler(ctx, replicaSets, settings.hpa);
    const timers = [
      every(ctx.kernel, settings.nodeLifecycle.monitorPeriodMs, () => nodes.sync()),
      every(ctx.kernel, settings.hpa.syncPeriodMs, () => hpa.sync()),
    ];
    running = { kubelets, nodes, hpa, timers };
  };

  return {
    name: 'kubernetes',
    // kube-proxy routes to the Service's endpoints: readiness probes, and a dead node's pods until NotReady.
    lbMembership: 'endpoints',
    start,
    stop: () => {
      if (running === null) return;
      for (const t of running.timers) t.stop();
      running.kubelets.stop();
      running.nodes.stop();
    },
    // A cycle is one node-monitor pass: the control plane's heartbeat of its own.
    summary: () => ({ cycles: running?.nodes.syncs ?? 0 }),
  };
};
