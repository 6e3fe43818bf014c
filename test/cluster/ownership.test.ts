import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/** The owner of each field group of the runtime records (src/cluster/runtime/ownership.ts), as docs/architecture.md says. */
const OWNERS: Record<string, readonly string[]> = {
  NodeLifecycleField: ['cluster/nodes/node-lifecycle.ts'],
  ReplicaLifecycleField: ['cluster/replicas/replica-lifecycle.ts'],
  ServiceReplicasField: ['cluster/replicas/replica-lifecycle.ts'],
  LoadBalancerField: ['cluster/traffic/load-balancer.ts'],
  ReplicaFlowField: ['cluster/traffic/traffic.ts', 'cluster/traffic/service-flow.ts'],
  ServiceFlowField: ['cluster/traffic/traffic.ts', 'cluster/traffic/service-flow.ts'],
  ReplicationField: ['cluster/replication/replication.ts'],
  ServiceReplicationField: ['cluster/replication/replication.ts'],
  MonitoringField: ['cluster/monitoring.ts'],
  ProcessField: ['cluster/replicas/process-state.ts'],
};

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const files = sources(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

describe('who writes the runtime records', () => {
  it('takes each writable view of a field group only in the module that owns it', () => {
    const uses = files.flatMap(({ path, text }) =>
      [...text.matchAll(/Owned<\s*\w+\s*,\s*(\w+)\s*>/g)].map((m) => ({ group: m[1] ?? '', path })),
    );

    const strays = uses.filter(({ group, path }) => !(OWNERS[group] ?? []).includes(path));
    const unused = Object.keys(OWNERS).filter((g) => !uses.some((u) => u.group === g));

    expect({ strays, unused }).toEqual({ strays: [], unused: [] });
  });

  it('makes no other writable form of a runtime record', () => {
    const strays = files
      .filter(({ text }) => /Mutable<\s*(Replica|ServiceRuntime|NodeRuntime)\s*>/.test(text))
      .map(({ path }) => path);

    expect(strays).toEqual([]);
  });
});
