import type { Cluster } from './cluster.ts';
import type { NodeId, ReplicaId, ServiceId } from './ids.ts';
import { memoryLimitMbOf } from './replicas/process-state.ts';
import type { Replica } from './runtime/records.ts';
import type { Termination } from './runtime/states.ts';
import { readinessPasses } from './traffic/readiness.ts';

/**
 * One container's status as an operator's tooling has it: kube-state-metrics' declared state (the version its
 * pod template runs, `kube_pod_container_status_restarts_total`, `..._last_terminated_reason`) and cAdvisor's
 * `container_memory_working_set_bytes` against its limit, read at the instant asked (noiseless gauges).
 */
export interface ContainerStatus {
  readonly replica: ReplicaId;
  readonly service: ServiceId;
  readonly node: NodeId;
  /** The deploy revision it runs. */
  readonly version: number;
  /** The revision it ran before its last deploy (equal to `version` if never redeployed). */
  readonly previousVersion: number;
  /** Container restarts since the pod was created. */
  readonly restarts: number;
  readonly lastTermination: Termination | null;
  /** When the container last ended; -1 if never. */
  readonly lastTerminationAtMs: number;
  /** Whether the container runs (not waiting to be restarted, not starting). */
  readonly running: boolean;
  /** Whether it is starting (a restart or a new pod on its way up). */
  readonly starting: boolean;
  /** Whether its readiness probe passes (what the kubelet reports). */
  readonly ready: boolean;
  readonly memoryMb: number;
  readonly memoryLimitMb: number;
}

/** One replica's container status at `nowMs`. */
export const containerStatus = (cluster: Cluster, r: Replica, nowMs: number): ContainerStatus => ({
  replica: r.id,
  service: r.service.spec.name,
  node: r.node.id,
  version: r.version,
  previousVersion: r.previousVersion,
  restarts: r.restarts,
  lastTermination: r.lastTermination,
  lastTerminationAtMs: r.lastTerminationAtMs,
  running: r.state === 'running' && r.node.state === 'up',
  starting: r.state === 'starting',
  ready: readinessPasses(r),
  memoryMb: cluster.processes.memoryMbNow(r, nowMs),
  memoryLimitMb: memoryLimitMbOf(r.service.spec),
});

/** The status of every container of a service (all services when none is named), in placement order. */
export const containerStatuses = (
  cluster: Cluster,
  service: ServiceId | undefined,
  nowMs: number,
): ContainerStatus[] => {
  const out: ContainerStatus[] = [];
  for (const s of cluster.services) {
    if (service !== undefined && s.spec.name !== service) continue;
    for (const r of s.replicas) out.push(containerStatus(cluster, r, nowMs));
  }
  return out;
};

/**
 * The containers an operator's alerting rules on kube-state-metrics and cAdvisor would show (KubePodNotReady,
 * KubePodCrashLooping, a container near its memory limit, a rollout in progress): running but not ready,
 * ended by itself and not running, on a version other than the one before, or with a working set at or above
 * `memoryShare` of its limit. O(replicas), allocating only for the ones it returns.
 */
export const troubledContainers = (
  cluster: Cluster,
  memoryShare: number,
  nowMs: number,
): ContainerStatus[] => {
  const out: ContainerStatus[] = [];
  const processes = cluster.processes;
  for (const s of cluster.services) {
    // A replica's service is the one listing it: its memory line is the service's, worked out once.
    const memoryLine = memoryShare * memoryLimitMbOf(s.spec);
    for (const r of s.replicas) {
      const running = r.state === 'running' && r.node.state === 'up';
      const troubled = running
        ? !readinessPasses(r) ||
          r.version !== r.previousVersion ||
          processes.memoryMbNow(r, nowMs) >= memoryLine
        : (r.state !== 'starting' && r.lastTermination !== null) || r.version !== r.previousVersion;
      if (troubled) out.push(containerStatus(cluster, r, nowMs));
    }
  }
  return out;
};
