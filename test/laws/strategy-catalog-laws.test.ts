import { describe, expect, it } from 'vitest';
import { ACTION_CATALOG, type ActionOutcome, type ActionRequest } from '../../src/cluster/actions.ts';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import { expandStrategy } from '../../src/mapek/recovery-actions.ts';
import type { Strategy } from '../../src/mapek/strategy.ts';
import { STRATEGY_CATALOG } from '../../src/mapek/strategy-catalog.ts';
import { readTopology } from '../../src/mapek/topology.ts';
import type { DetectedFailure, FailureType, RootCause } from '../../src/mapek/types.ts';
import { LOAD } from '../support/mapek.ts';
import { buildWorld, callingCluster } from '../support/world.ts';

/**
 * Laws every row of the planner's strategy catalog obeys, run over the catalog itself (a new strategy is
 * covered the moment it has a row), for every root cause the row claims, first-line or on escalation, on a
 * node of the stateless api (node-1) and on the stateful orders primary's node (node-4):
 *
 * - the row's beliefs are probabilities and times, and its family is the family of an action it takes;
 * - its expansion acts only on what the failure names: the failure's nodes, replicas on them, its services;
 * - every request it makes is one the effectors accept on a healthy cluster (nothing refused as unknown or
 *   impossible), executed as the loop executes a plan: stage by stage, the background repairs last.
 */

const TYPE_OF_CAUSE: { readonly [C in RootCause]: FailureType } = {
  crash: 'NodeCrash',
  'oom-crash': 'NodeCrash',
  partition: 'NetworkPartition',
  cpu: 'ResourceExhaustion',
  memory: 'ResourceExhaustion',
  disk: 'ResourceExhaustion',
  'slow-node': 'PerformanceDegradation',
  overload: 'PerformanceDegradation',
  'retry-storm': 'PerformanceDegradation',
  'lift-mitigation': 'PerformanceDegradation',
  'self-reboot': 'NodeCrash',
  flapping: 'NodeCrash',
  'kept-out': 'NodeCrash',
  readmit: 'NodeCrash',
  hang: 'ProcessFault',
  'process-leak': 'ProcessFault',
  'crash-loop': 'ProcessFault',
  'bad-deploy': 'BadDeploy',
  dependency: 'DependencyFailure',
  cascade: 'DependencyFailure',
  'close-circuit': 'DependencyFailure',
};

const CALL_CAUSES: ReadonlySet<RootCause> = new Set(['dependency', 'cascade', 'close-circuit']);

const CALLING_CLUSTER = callingCluster(true);

/** Process causes: the failure names a replica on the node (its node healthy), a bad deploy a new version. */
const PROCESS_CAUSES: ReadonlySet<RootCause> = new Set(['hang', 'process-leak', 'crash-loop', 'bad-deploy']);
const REPLICA_ON: Readonly<Record<string, string>> = { 'node-1': 'api-1', 'node-4': 'orders-1' };

/** Nodes a failure of this cause leaves the control plane unable to count on. */
const UNREACHABLE_CAUSES: ReadonlySet<RootCause> = new Set([
  'crash',
  'oom-crash',
  'partition',
  'self-reboot',
  'flapping',
]);

const SERVICE_ON: Readonly<Record<string, string>> = { 'node-1': 'api', 'node-4': 'orders' };

const failureOf = (cause: RootCause, node: string, atMs: number): DetectedFailure => {
  const service = SERVICE_ON[node] ?? 'api';
  if (PROCESS_CAUSES.has(cause)) {
    const replica = (REPLICA_ON[node] ?? 'api-1') as ReplicaId;
    const newVersion = cause === 'bad-deploy';
    return {
      key: `${TYPE_OF_CAUSE[cause]}:${newVersion ? service : replica}`,
      type: TYPE_OF_CAUSE[cause],
      component: newVersion ? service : replica,
      nodes: [],
      services: [service as ServiceId],
      cause,
      rootCause: `${cause} of ${replica}`,
      severity: 1 / 3,
      evidence: [],
      detectedAtMs: atMs,
      process: {
        replicas: [replica],
        newVersion,
        version: newVersion ? 2 : 1,
        previousVersion: 1,
        restarts: 0,
      },
    };
  }
  if (CALL_CAUSES.has(cause))
    return {
      key: `DependencyFailure:api->orders`,
      type: 'DependencyFailure',
      component: 'api->orders',
      nodes: [],
      services: ['api' as ServiceId],
      cause,
      rootCause: `${cause} on api->orders`,
      severity: 0.3,
      evidence: [],
      detectedAtMs: atMs,
      call: { caller: 'api' as ServiceId, callee: 'orders' as ServiceId, fallback: true },
    };
  const overload = cause === 'overload' || cause === 'retry-storm' || cause === 'lift-mitigation';
  return {
    key: `${TYPE_OF_CAUSE[cause]}:${overload ? service : node}`,
    type: TYPE_OF_CAUSE[cause],
    component: overload ? service : node,
    nodes: overload ? [] : [node as NodeId],
    services: [service as ServiceId],
    cause,
    rootCause: `${cause} on ${node}`,
    severity: 1 / 3,
    evidence: [],
    detectedAtMs: atMs,
  };
};

const CASES = STRATEGY_CATALOG.flatMap((strategy) =>
  [...strategy.causes, ...strategy.escalationFor].flatMap((cause) =>
    ['node-1', 'node-4'].map((node) => ({
      name: `${strategy.id} for ${cause} on ${node}`,
      strategy,
      cause,
      node,
    })),
  ),
);

/** Expands the strategy against the world's own sensors, as the planner would at 1 min. */
const expand = (strategy: Strategy, cause: RootCause, node: string) => {
  // A bad deploy's failure names a version the cluster must really run for a rollback to have work.
  const faults =
    cause === 'bad-deploy'
      ? [{ at: '30s', kind: 'bad-deploy', target: `replica:${REPLICA_ON[node]}`, latencyFactor: 3 }]
      : [];
  const { world } = buildWorld({
    workload: LOAD,
    cluster: { ...CALLING_CLUSTER, effectors: { failureRate: '0%' } },
    faults,
  });
  world.runUntil(60_000);
  const failure = failureOf(cause, node, world.kernel.nowMs);
  const topology = readTopology(world.sensors, world.kernel.nowMs);
  const unreachable = new Set(UNREACHABLE_CAUSES.has(cause) ? failure.nodes : []);
  return { world, failure, topology, actions: expandStrategy(strategy, { failure, topology, unreachable }) };
};

/** The nodes, replicas' nodes and services a request acts on. */
const targetsOf = (r: ActionRequest, replicaNode: (id: string) => string | undefined) => ({
  nodes:
    'node' in r
      ? [r.node as string]
      : 'replica' in r && r.kind !== 'promote-replica'
        ? [replicaNode(r.replica)]
        : [],
  services: 'service' in r ? [r.service as string] : [],
});

describe('strategy catalog laws (every row)', () => {
  it('every row claims a root cause, and the ids are unique', () => {
    expect(new Set(STRATEGY_CATALOG.map((s) => s.id)).size).toBe(STRATEGY_CATALOG.length);
    for (const s of STRATEGY_CATALOG) expect(s.causes.length + s.escalationFor.length).toBeGreaterThan(0);
  });

  it.each(STRATEGY_CATALOG.map((s) => ({ id: s.id, s })))('$id believes probabilities and times', ({ s }) => {
    expect(s.prior.successRate).toBeGreaterThan(0);
    expect(s.prior.successRate).toBeLessThanOrEqual(1);
    expect(s.prior.risk).toBeGreaterThanOrEqual(0);
    expect(s.prior.risk).toBeLessThanOrEqual(1);
    expect(s.prior.recoveryMs).toBeGreaterThan(0);
  });

  describe.each(CASES)('$name', (c) => {
    it('expands into actions of its own family, on what the failure names only', () => {
      const { actions, failure, topology } = expand(c.strategy, c.cause, c.node);
      if (actions === null) return;
      const replicaNode = (id: string) => topology.placements.find((p) => p.replica === id)?.node;

      expect(actions.length).toBeGreaterThan(0);
      expect(actions.map((a) => a.type)).toContain(c.strategy.type);
      for (const a of actions) {
        expect(a.type).toBe(ACTION_CATALOG[a.request.kind].type);
        const t = targetsOf(a.request, replicaNode);
        // A process fault names its replicas, on nodes that are healthy: acting on them is acting on it.
        const replica = 'replica' in a.request ? a.request.replica : undefined;
        const named = replica !== undefined && failure.process?.replicas.includes(replica) === true;
        if (!named) for (const n of t.nodes) expect(failure.nodes).toContain(n);
        for (const s of t.services) expect(failure.services).toContain(s);
      }
    });

    it('makes only requests the effectors accept, stage by stage', () => {
      const { world, actions } = expand(c.strategy, c.cause, c.node);
      if (actions === null) return;
      const refused: Extract<ActionOutcome, { ok: false }>[] = [];
      const run = (requests: readonly ActionRequest[]) => {
        let failed = false;
        for (const r of requests) {
          world.effectors.execute(r, (o) => {
            if (o.ok) return;
            failed = true;
            if (o.failure.kind !== 'transient') refused.push(o);
          });
        }
        world.runFor(120_000);
        return !failed;
      };
      const awaited = actions.filter((a) => !a.background);
      const stages = [...new Set(awaited.map((a) => a.stage))].sort((a, b) => a - b);

      // As the loop executes a plan: each stage awaited in turn, then the background repairs.
      const completed = stages.every((stage) =>
        run(awaited.filter((a) => a.stage === stage).map((a) => a.request)),
      );
      if (completed) run(actions.filter((a) => a.background).map((a) => a.request));

      expect(refused.map((o) => [o.request, o.failure])).toEqual([]);
    });
  });
});

describe('drain-and-scale on the node of a stateful primary', () => {
  it('hands the primary role away as it drains the node, so writes leave the slow node too', () => {
    const drainAndScale = STRATEGY_CATALOG.find((s) => s.id === 'drain-and-scale');
    if (drainAndScale === undefined) throw new Error('no drain-and-scale row');

    const { actions } = expand(drainAndScale, 'slow-node', 'node-4');

    expect(actions?.map((a) => a.request)).toContainEqual({
      kind: 'promote-replica',
      service: 'orders',
      avoidNodes: ['node-4'],
    });
  });
});
