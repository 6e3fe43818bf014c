import { describe, expect, it } from 'vitest';
import { run } from './support.ts';

/** Every CPU reserved: a crashed node's replicas have nowhere to go, so only a reboot brings them back. */
const PACKED = {
  cluster: {
    nodes: { count: 4, cpu: 2 },
    services: [{ name: 'api', replicas: 8, capacityRps: 400 }],
    sensors: { scrapeInterval: '5s' },
  },
  workload: [{ service: 'api', rps: 2000 }],
  controller: { policy: 'mapek', cycleInterval: '2s' },
  slo: { recovery: '2m' },
};

/** The same node crashes three times, staying down until someone reboots it. */
const THREE_CRASHES = [
  { at: '1m', kind: 'node-crash', target: 'node-2' },
  { at: '3m', kind: 'node-crash', target: 'node-2' },
  { at: '5m', kind: 'node-crash', target: 'node-2' },
];

describe('a flapping node on a cluster with no spare capacity', () => {
  it('is rebooted once its quarantine finds nowhere to move its replicas, not left out and down', () => {
    const r = run({ ...PACKED, duration: '10m', faults: THREE_CRASHES }, 'mapek');

    const reboots = r.outcome.actions.filter((a) => a.request.kind === 'restart-node' && a.ok);
    expect(reboots.map((a) => a.startedAtMs > 300_000)).toContain(true);
    expect(r.outcome.measures.map((m) => m.recoveredAtMs !== null)).toEqual([true, true, true]);
  });
});
