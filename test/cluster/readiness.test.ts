import { describe, expect, it } from 'vitest';
import type { Replica } from '../../src/cluster/runtime/records.ts';
import { endpointFlipAtMs, READINESS_PROBE_DEFAULTS } from '../../src/cluster/traffic/readiness.ts';
import { bareCluster, clusterSpecOf, nodeIn, serviceIn, stateless } from './cluster-fixture.ts';

const PROBE = READINESS_PROBE_DEFAULTS;

/** Three api replicas on three nodes, 300 rps offered, the Service's endpoints deciding membership. */
const endpointsCluster = () => {
  const built = bareCluster(clusterSpecOf(3, 4, [stateless('api', 3)]));
  built.cluster.loadBalancer.useMembership('endpoints');
  built.cluster.setOffered(serviceIn(built.cluster, 'api'), 300, 0);
  return built;
};

/** The replica on `node` and the times its endpoint left (`lb.out`) and came back (`lb.in`). */
const onNode = (built: ReturnType<typeof endpointsCluster>, node: string) => {
  const r = serviceIn(built.cluster, 'api').replicas.find((x) => x.node.id === node && x.state !== 'removed');
  if (r === undefined) throw new Error(`no api replica on ${node}`);
  const flips = (kind: string) =>
    built.trace.recordedLines
      .map((l) => JSON.parse(l) as { t: number; kind: string; source: string })
      .filter((l) => l.kind === kind && l.source === r.id)
      .map((l) => l.t);
  return { r, out: () => flips('lb.out'), in: () => flips('lb.in') };
};

describe('readiness timing (Kubernetes defaults: period 10 s, failureThreshold 3, successThreshold 1)', () => {
  // A stand-in with the two fields the phase reads: service 0, creation slot 1. Phase =
  // (0 x 104 729 + 1 x 7 919) mod 10 000 + 1 = 7 920 ms: probes at 7.92 s, 17.92 s, 27.92 s, ...
  const replica = (state: Replica['state']) =>
    ({ service: { index: 0 }, slot: 1, state }) as unknown as Replica;

  it('a running pod that stops answering at 25 s leaves on its third failed probe: 27.92, 37.92, 47.92 s', () => {
    expect(endpointFlipAtMs(replica('running'), 25_000, false, PROBE)).toBe(47_920);
  });

  it('a pod that answers again at 25 s joins on its first passed probe, at 27.92 s', () => {
    expect(endpointFlipAtMs(replica('running'), 25_000, true, PROBE)).toBe(27_920);
  });

  it('a probe at the very instant of the change does not count: a change at 27.92 s is seen at 37.92 s', () => {
    expect(endpointFlipAtMs(replica('running'), 27_920, true, PROBE)).toBe(37_920);
  });

  it('a container that stopped running at 25.4 s is not ready at the kubelet relist, 26 s', () => {
    expect(endpointFlipAtMs(replica('stopped'), 25_400, false, PROBE)).toBe(26_000);
  });
});

describe('the load balancer under endpoints membership', () => {
  // api-1 (service 0, slot 0) probes at 1 ms past every 10 s. Its disk fills at 25 s: failed probes at 30.001,
  // 40.001 and 50.001 s, out on the third. The disk is freed at 70 s: the probe at 70.001 s passes, back in.
  it('a full disk (no capacity left) takes the pod out after three failed probes; it is back on the first pass', () => {
    const built = endpointsCluster();
    const pod = onNode(built, 'node-1');
    const { kernel, cluster } = built;
    kernel.runUntil(25_000);

    cluster.setEffect(nodeIn(cluster, 'node-1'), 'disk', { resource: 'disk', level: 1 });
    kernel.runUntil(70_000);
    cluster.removeEffect(nodeIn(cluster, 'node-1'), 'disk');
    kernel.runUntil(100_000);

    expect(pod.r.id).toBe('api-1');
    expect(pod.out()).toEqual([50_001]);
    expect(pod.in()).toEqual([70_001]);
  });

  it('a crashed node keeps its pod in the endpoints: no report can take it out', () => {
    const built = endpointsCluster();
    const pod = onNode(built, 'node-2');
    built.kernel.runUntil(30_000);

    built.cluster.crashNode(nodeIn(built.cluster, 'node-2'), 'fault');
    built.kernel.runUntil(120_000);

    expect(pod.out()).toEqual([]);
    expect(pod.r.lbHealthy).toBe(true);
  });

  it('a partitioned node keeps its pod in the endpoints until the network heals', () => {
    const built = endpointsCluster();
    const pod = onNode(built, 'node-3');
    const side = new Int16Array(4);
    side[2] = 1;
    built.kernel.runUntil(30_000);

    built.cluster.partition('cut', side, 'both');
    built.kernel.runUntil(120_000);

    expect(pod.out()).toEqual([]);
  });

  // node-1 is up again at 45.5 s; api-1 (service 0, slot 0: phase 1 ms) is starting, so not ready at the 46 s
  // relist; it runs 8 s later (replicaStartMs), at 53.5 s, and its next probe, at 60.001 s, passes.
  it('a rebooted node reports its restarting pod not ready at the next relist, ready on the first probe once it runs', () => {
    const built = endpointsCluster();
    const pod = onNode(built, 'node-1');
    const node1 = nodeIn(built.cluster, 'node-1');
    built.kernel.runUntil(30_000);
    built.cluster.crashNode(node1, 'fault');
    built.kernel.runUntil(40_000);

    built.cluster.bootNode(node1, 5_500, () => undefined);
    built.kernel.runUntil(120_000);

    expect(pod.out()).toEqual([46_000]);
    expect(pod.in()).toEqual([60_001]);
  });

  it('active health checks stay the default membership', () => {
    const { cluster } = bareCluster(clusterSpecOf(3, 4, [stateless('api', 3)]));

    expect(cluster.loadBalancer.membership).toBe('active-health-checks');
  });
});
