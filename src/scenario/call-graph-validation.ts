import type { PathSegment } from './load-error.ts';
import type { Scenario } from './schema/scenario.ts';

/** A semantic issue as semantic-validation.ts collects them (declared here: that module imports this one). */
interface CallGraphIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/**
 * What makes a call graph impossible to run: a callee that is not a service of the cluster, a fan-out that is
 * not positive, a service calling itself or a cycle (a request would wait on itself: no steady state). Each
 * issue points at the `calls` entry that closes the problem, with the path of services for a cycle.
 */
export const callGraphIssues = (scenario: Scenario, out: CallGraphIssue[]): void => {
  const services = scenario.world.cluster.services;
  const index = new Map(services.map((s, i) => [s.name as string, i]));
  let sound = true;
  services.forEach((s, i) => {
    (s.calls ?? []).forEach((c, k) => {
      const at = ['cluster', 'services', i, 'calls', k];
      if (!index.has(c.service)) {
        sound = false;
        const known = services.map((x) => `"${x.name}"`).join(', ');
        out.push({
          path: [...at, 'service'],
          message: `"${s.name}" calls unknown service "${c.service}" (services: ${known})`,
        });
      }
      if (!(c.perRequest > 0)) {
        out.push({
          path: [...at, 'perRequest'],
          message: `perRequest ${c.perRequest} is not positive: a call edge makes at least some calls per request (remove the entry instead)`,
        });
      }
    });
  });
  if (!sound) return;
  const cycle = findCycle(services.map((s) => (s.calls ?? []).map((c) => index.get(c.service) ?? -1)));
  if (cycle === null) return;
  const names = cycle.path.map((i) => services[i]?.name ?? '?');
  out.push({
    path: ['cluster', 'services', cycle.from, 'calls', cycle.call, 'service'],
    message: `the call graph has a cycle: ${names.join(' -> ')}; a request would wait on itself (calls must form a DAG)`,
  });
};

/** The first cycle a depth-first search meets, in declaration order: its services and the edge closing it. */
const findCycle = (
  edges: readonly (readonly number[])[],
): { path: number[]; from: number; call: number } | null => {
  const state = new Uint8Array(edges.length); // 0 unvisited, 1 on the stack, 2 done
  const stack: number[] = [];
  const visit = (i: number): { path: number[]; from: number; call: number } | null => {
    state[i] = 1;
    stack.push(i);
    const out = edges[i] ?? [];
    for (let k = 0; k < out.length; k++) {
      const j = out[k] ?? -1;
      if (state[j] === 1) return { path: [...stack.slice(stack.indexOf(j)), j], from: i, call: k };
      if (state[j] === 0) {
        const found = visit(j);
        if (found !== null) return found;
      }
    }
    stack.pop();
    state[i] = 2;
    return null;
  };
  for (let i = 0; i < edges.length; i++) {
    if (state[i] !== 0) continue;
    const found = visit(i);
    if (found !== null) return found;
  }
  return null;
};
