import { describe, expect, it } from 'vitest';
import type { FaultId, FaultRecord } from '../../src/chaos/ground-truth.ts';
import type { FaultKind } from '../../src/chaos/spec.ts';
import type { NodeId } from '../../src/cluster/ids.ts';
import { CLUSTER_DEFAULTS } from '../../src/cluster/spec.ts';
import { waitsOut } from '../../src/policies/oracle/wait-out.ts';

// The model's defaults: raise-limit 5 s, promotion 2 s, boot 45 s, replica start 8 s, checks every 2 s.
const TIMINGS = { effectors: CLUSTER_DEFAULTS.effectors, loadBalancer: CLUSTER_DEFAULTS.loadBalancer };

const landed = (kind: FaultKind, detail: Record<string, unknown>, reachable = true) => {
  const record: FaultRecord = {
    id: 'f1' as FaultId,
    kind,
    origin: 'timeline',
    targets: ['node-1' as NodeId],
    components: [],
    detail,
    injectedAtMs: 60_000,
    clearedAtMs: null,
  };
  return { record, reachable };
};

describe('the oracle waits out a fault only when it ends before its remedy would take effect', () => {
  it.each([
    [
      'a full disk of 5 s: raise-limit takes 5 s',
      'resource-exhaustion',
      { resource: 'disk', durationMs: 5_000 },
      true,
      true,
    ],
    ['a full disk of 6 s', 'resource-exhaustion', { resource: 'disk', durationMs: 6_000 }, true, false],
    ['a full disk with no end', 'resource-exhaustion', { resource: 'disk' }, true, false],
    ['a peer cut of 2 s: a promotion takes 2 s', 'network-partition', { durationMs: 2_000 }, true, true],
    ['a peer cut of 3 s', 'network-partition', { durationMs: 3_000 }, true, false],
    [
      'a 1 s cut from the control plane: moving takes the replicas out at once',
      'network-partition',
      { durationMs: 1_000 },
      false,
      false,
    ],
    ['a 1 s CPU hog: the same', 'resource-exhaustion', { resource: 'cpu', durationMs: 1_000 }, true, false],
    ['a 1 s crash: it must also reboot', 'node-crash', { durationMs: 1_000 }, false, false],
    [
      'a 1 s slow-down that lost capacity',
      'performance-degradation',
      { capacityFactor: 0.5, durationMs: 1_000 },
      true,
      false,
    ],
    [
      'an OOM crash whose leak ends in 1 s: the node stays down',
      'resource-exhaustion',
      { resource: 'memory', durationMs: 1_000 },
      false,
      false,
    ],
  ] as const)('%s: waits out %s', (_what, kind, detail, reachable, expected) => {
    expect(waitsOut(landed(kind, detail, reachable), TIMINGS)).toBe(expected);
  });
});
