import { CONTROL_PLANE } from '../cluster/ids.ts';
import type { ClusterSpec } from '../cluster/spec.ts';
import type { FaultSchedule, TargetSpec } from './spec.ts';

/** A fault schedule entry that names something the cluster does not have. */
export interface ScheduleIssue {
  readonly kind:
    | 'unknown-node'
    | 'unknown-replica'
    | 'unknown-service'
    | 'not-stateful'
    | 'overlapping-groups'
    | 'too-few-groups';
  /** Where in the schedule: `['timeline', 2, 'split', 'groups', 0, 1]`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Checks every name a schedule uses against the cluster: nodes, services, and which services are stateful.
 * Shapes and ranges are the schema's business; this is what only the topology can tell.
 */
export const validateSchedule = (schedule: FaultSchedule, cluster: ClusterSpec): ScheduleIssue[] => {
  const issues: ScheduleIssue[] = [];
  const nodeCount = cluster.nodes.count;
  const isNode = (name: string) => {
    const m = /^node-(\d+)$/.exec(name);
    return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= nodeCount;
  };
  const nodeHint = `the cluster has node-1 to node-${nodeCount}`;
  const checkTarget = (t: TargetSpec, path: (string | number)[]) => {
    if (t.kind === 'nodes') {
      t.nodes.forEach((n, i) => {
        if (!isNode(n))
          issues.push({
            kind: 'unknown-node',
            path: [...path, i],
            message: `unknown node "${n}": ${nodeHint}`,
          });
      });
    } else if (t.kind === 'replica') {
      // Replica ids are <service>-<n>, numbered from 1 as the cluster places them.
      const ids = cluster.services.flatMap((x) =>
        Array.from({ length: x.replicas }, (_, i) => `${x.name}-${i + 1}`),
      );
      if (!ids.includes(t.replica))
        issues.push({
          kind: 'unknown-replica',
          path,
          message: `unknown replica "${t.replica}": replicas are ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ', ...' : ''}`,
        });
    } else if (t.kind === 'primary-of' || t.kind === 'replica-of') {
      const s = cluster.services.find((x) => x.name === t.service);
      const names = cluster.services.map((x) => x.name).join(', ');
      if (s === undefined) {
        issues.push({
          kind: 'unknown-service',
          path,
          message: `unknown service "${t.service}": services are ${names}`,
        });
      } else if (t.kind === 'primary-of' && s.stateful === undefined) {
        issues.push({
          kind: 'not-stateful',
          path,
          message: `service "${t.service}" is not stateful, so it has no primary`,
        });
      }
    }
  };
  schedule.timeline.forEach((f, i) => {
    const at: (string | number)[] = ['timeline', i];
    if (f.kind === 'load-spike') {
      const names = cluster.services.map((x) => x.name).join(', ');
      f.services.forEach((s, j) => {
        if (!cluster.services.some((x) => x.name === s)) {
          issues.push({
            kind: 'unknown-service',
            path: [...at, 'services', j],
            message: `unknown service "${s}": services are ${names}`,
          });
        }
      });
      return;
    }
    if (f.kind === 'dependency-failure') {
      const names = cluster.services.map((x) => x.name).join(', ');
      const from = cluster.services.find((x) => x.name === f.from);
      if (from === undefined) {
        issues.push({
          kind: 'unknown-service',
          path: [...at, 'from'],
          message: `unknown service "${f.from}": services are ${names}`,
        });
      } else if (!(from.calls ?? []).some((c) => c.service === f.to)) {
        const callees = (from.calls ?? []).map((c) => `"${c.service}"`).join(', ');
        issues.push({
          kind: 'unknown-service',
          path: [...at, 'to'],
          message: `"${f.from}" does not call "${f.to}": a dependency failure hits a declared call (its calls: ${callees || 'none'})`,
        });
      }
      return;
    }
    if (f.kind !== 'network-partition') {
      checkTarget(f.target, [...at, 'target']);
      return;
    }
    const split = f.split;
    if (split.kind === 'isolate') {
      checkTarget(split.target, [...at, 'split', 'target']);
      split.from?.forEach((n, j) => {
        if (n !== CONTROL_PLANE && !isNode(n)) {
          issues.push({
            kind: 'unknown-node',
            path: [...at, 'split', 'from', j],
            message: `unknown node "${n}": ${nodeHint} and "control"`,
          });
        }
      });
      return;
    }
    if (split.groups.length < 2) {
      issues.push({
        kind: 'too-few-groups',
        path: [...at, 'split', 'groups'],
        message: 'a partition needs at least two groups',
      });
    }
    const seen = new Map<string, number>();
    split.groups.forEach((group, g) => {
      group.forEach((n, j) => {
        const path = [...at, 'split', 'groups', g, j];
        if (n !== CONTROL_PLANE && !isNode(n)) {
          issues.push({
            kind: 'unknown-node',
            path,
            message: `unknown node "${n}": ${nodeHint} and "control"`,
          });
        }
        const other = seen.get(n);
        if (other !== undefined && other !== g) {
          issues.push({
            kind: 'overlapping-groups',
            path,
            message: `"${n}" is in groups ${other + 1} and ${g + 1}`,
          });
        }
        seen.set(n, g);
      });
    });
  });
  return issues;
};
