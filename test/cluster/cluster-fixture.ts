import { Cluster } from '../../src/cluster/cluster.ts';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import type { NodeRuntime, Replica, ServiceRuntime } from '../../src/cluster/runtime/records.ts';
import {
  CLUSTER_DEFAULTS,
  type ClusterSpec,
  type ReplicationMode,
  type ServiceSpec,
  type StatefulSpec,
} from '../../src/cluster/spec.ts';
import { SimKernel } from '../../src/sim/kernel.ts';
import { Trace } from '../../src/sim/trace.ts';

/** A cluster spec with the defaults, `count` nodes of `cpuCores`, and the given services. */
export const clusterSpecOf = (
  count: number,
  cpuCores: number,
  services: readonly ServiceSpec[],
): ClusterSpec => ({
  nodes: { count, cpuCores, memoryGb: 32, baseMemoryUse: 0.45, baseDiskUse: 0.5 },
  services,
  loadBalancer: CLUSTER_DEFAULTS.loadBalancer,
  sensors: CLUSTER_DEFAULTS.sensors,
  effectors: CLUSTER_DEFAULTS.effectors,
});

/** A stateless service of `replicas` replicas of one core each. */
export const stateless = (name: string, replicas: number, cpuPerReplica = 1): ServiceSpec => ({
  name: name as ServiceId,
  replicas,
  capacityRps: 100,
  latencyMs: 20,
  cpuPerReplica,
});

/** A stateful service of `replicas` replicas of one core each. */
export const stateful = (
  name: string,
  replicas: number,
  replication: ReplicationMode,
  fencing: 'lease' | 'none' = 'lease',
  more: Partial<StatefulSpec> = {},
): ServiceSpec => ({
  ...stateless(name, replicas),
  stateful: {
    replication,
    acks: replication === 'quorum' ? Math.floor(replicas / 2) + 1 : 1,
    asyncLagMs: 1_000,
    leaseMs: 10_000,
    fencing,
    catchUpRps: 10_000,
    snapshotMs: 10_000,
    rttMs: 1,
    ...more,
  },
});

/** A cluster built on its own kernel and trace, with no world around it. */
export const bareCluster = (spec: ClusterSpec) => {
  const kernel = new SimKernel();
  const trace = new Trace(true);
  const built = Cluster.create(spec, kernel, trace, { throughputTolerance: 0.05, latencyTolerance: 2 });
  if (!built.ok) throw new Error(built.error.message);
  return { cluster: built.value, kernel, trace };
};

export const nodeIn = (c: Cluster, id: string): NodeRuntime => {
  const n = c.node(id);
  if (n === undefined) throw new Error(`no node ${id}`);
  return n;
};

export const serviceIn = (c: Cluster, id: string): ServiceRuntime => {
  const s = c.service(id);
  if (s === undefined) throw new Error(`no service ${id}`);
  return s;
};

export const replicaIn = (c: Cluster, id: string): Replica => {
  const r = c.replica(id);
  if (r === undefined) throw new Error(`no replica ${id}`);
  return r;
};

export const node = (id: string) => id as NodeId;
export const replica = (id: string) => id as ReplicaId;
export const service = (id: string) => id as ServiceId;
