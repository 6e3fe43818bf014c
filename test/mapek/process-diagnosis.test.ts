import { describe, expect, it } from 'vitest';
import type { NodeId, ReplicaId, ServiceId } from '../../src/cluster/ids.ts';
import type { ContainerStatus, ReplicaPlacement } from '../../src/cluster/sensors.ts';
import { diagnoseProcesses } from '../../src/mapek/process-diagnosis.ts';
import { topologyOf } from '../../src/mapek/topology.ts';
import type { Symptom } from '../../src/mapek/types.ts';

// api-1 and web-1 share node-1; api-2 on node-2, api-3 on node-3.
const PLACED: readonly [string, string, string][] = [
  ['api-1', 'api', 'node-1'],
  ['web-1', 'web', 'node-1'],
  ['api-2', 'api', 'node-2'],
  ['api-3', 'api', 'node-3'],
];
const placement = ([replica, service, node]: [string, string, string]): ReplicaPlacement => ({
  replica: replica as ReplicaId,
  service: service as ServiceId,
  node: node as NodeId,
  role: 'none',
  inRotation: true,
  starting: false,
});
const topology = topologyOf(0, PLACED.map(placement), new Map());

const status = (replica: string, over: Partial<ContainerStatus> = {}): ContainerStatus => {
  const [, service, node] = PLACED.find((p) => p[0] === replica) ?? ['', 'api', 'node-1'];
  return {
    replica: replica as ReplicaId,
    service: service as ServiceId,
    node: node as NodeId,
    version: 1,
    previousVersion: 1,
    restarts: 0,
    lastTermination: null,
    lastTerminationAtMs: -1,
    running: true,
    starting: false,
    ready: true,
    memoryMb: 128,
    memoryLimitMb: 512,
    ...over,
  };
};

const diagnose = (
  containers: readonly ContainerStatus[],
  symptoms: readonly Symptom[] = [],
  nodeFaults: readonly string[] = [],
  streak = 2,
) =>
  diagnoseProcesses({
    containers,
    symptoms,
    topology,
    nodeFaults: new Set(nodeFaults as NodeId[]),
    suspected: [],
    nowMs: 60_000,
    confirmed: (_key, cycles) => streak >= cycles,
  }).failures.map((f) => [f.type, f.component, f.cause]);

describe('process diagnosis: a process fault, not a node fault', () => {
  it('a replica not ready among healthy peers on a healthy node is hung, once it has lasted two cycles', () => {
    const hung = [status('api-1', { ready: false })];

    expect(diagnose(hung)).toEqual([['ProcessFault', 'api-1', 'hang']]);
    expect(diagnose(hung, [], [], 1)).toEqual([]);
  });

  it('every replica of a node in trouble is the node, not a process', () => {
    expect(diagnose([status('api-1', { ready: false }), status('web-1', { ready: false })])).toEqual([]);
  });

  it('a replica on a node something else explains (a full disk) is that node', () => {
    expect(diagnose([status('api-2', { ready: false })], [], ['node-2'])).toEqual([]);
  });

  it('an exit on an error is a crash-loop of the replica; an OOM kill or a working set near its limit a leak', () => {
    expect(
      diagnose([
        status('api-2', { running: false, lastTermination: 'Error', restarts: 2 }),
        status('api-3', { running: false, lastTermination: 'OOMKilled' }),
        status('web-1', { memoryMb: 440 }),
      ]),
    ).toEqual([
      ['ProcessFault', 'api-2', 'crash-loop'],
      ['ProcessFault', 'api-3', 'process-leak'],
      ['ProcessFault', 'web-1', 'process-leak'],
    ]);
  });

  it('replicas on a new version that fail where their peers on the old one do not are a bad deploy of the service', () => {
    const v2 = { version: 2, previousVersion: 1 };
    const failing: Symptom = {
      kind: 'replica-errors',
      replica: 'api-2' as ReplicaId,
      service: 'api' as ServiceId,
      node: 'node-2' as NodeId,
      errorRate: 0.3,
    };

    expect(diagnose([status('api-2', v2), status('api-3', v2)], [failing])).toEqual([
      ['BadDeploy', 'api', 'bad-deploy'],
    ]);
    // A new version that behaves is no fault.
    expect(diagnose([status('api-2', v2)])).toEqual([]);
    // A new version that crash-loops is one too.
    expect(diagnose([status('api-2', { ...v2, running: false, lastTermination: 'Error' })])).toEqual([
      ['BadDeploy', 'api', 'crash-loop'],
    ]);
  });
});
