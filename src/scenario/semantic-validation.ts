import { formatDuration } from '../base/duration.ts';
import type { BlastRadius, TargetSpec, TimedFault } from '../chaos/spec.ts';
import { callGraphIssues } from './call-graph-validation.ts';
import type { PathSegment } from './load-error.ts';
import type { Scenario } from './schema/scenario.ts';
import { isRecordLike } from './schema-lookup.ts';

/**
 * The largest magnitude any number in a scenario may have. Totals multiply rates by seconds, replicas and
 * spike factors; above this a product can leave the range where doubles stay exact to the request, and
 * near 1e308 it overflows to Infinity and availability becomes NaN. Nothing real comes close to 10^12
 * requests a second or 10^12 cores.
 */
export const MAX_SCENARIO_NUMBER = 1e12;

/** A scenario that parses but cannot run as written: where in the file, and why. */
export interface SemanticIssue {
  /** Field path in the file, as {@link PathSegment}s: `['faults', 2, 'random', 'until']`. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** Fields whose numbers the magnitude cap does not cover (the schema bounds the seed itself). */
const UNCAPPED = new Set(['seed']);

const hugeNumbers = (value: unknown, path: PathSegment[], out: SemanticIssue[]): void => {
  if (typeof value === 'number') {
    if (Math.abs(value) > MAX_SCENARIO_NUMBER) {
      out.push({
        path,
        message: `${value} is too large: numbers in a scenario are limited to ${MAX_SCENARIO_NUMBER.toExponential()} in magnitude, beyond which the model's totals lose precision or overflow`,
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      hugeNumbers(v, [...path, i], out);
    });
    return;
  }
  if (isRecordLike(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (path.length === 0 && UNCAPPED.has(k)) continue;
      hugeNumbers(v, [...path, k], out);
    }
  }
};

/** Where each timeline fault and each random generator sits in the file's `faults` list. */
const faultSources = (input: unknown): { timeline: number[]; random: number[] } => {
  const timeline: number[] = [];
  const random: number[] = [];
  const faults = isRecordLike(input) ? input.faults : undefined;
  if (Array.isArray(faults)) {
    faults.forEach((f, i) => {
      if (isRecordLike(f) && 'random' in f) random.push(i);
      else timeline.push(i);
    });
  }
  return { timeline, random };
};

const TOLERANCE = 1e-9;

/**
 * Replicas the scheduler cannot place at setup: one that needs more CPU than a node has, or more CPU (or
 * more replicas) than the cluster can hold. With one replica size the count bound is exact; with mixed
 * sizes it is necessary but fragmentation can still leave a replica without a node (the run then says so).
 */
const placementIssues = (scenario: Scenario, out: SemanticIssue[]): void => {
  const { nodes, services } = scenario.world.cluster;
  const totalCpu = nodes.count * nodes.cpuCores;
  const smallest = Math.min(...services.map((s) => s.cpuPerReplica));
  const slotsPerNode = Math.floor(nodes.cpuCores / smallest + TOLERANCE);
  let cpu = 0;
  let count = 0;
  for (const [i, s] of services.entries()) {
    const at = ['cluster', 'services', i];
    if (s.cpuPerReplica > nodes.cpuCores + TOLERANCE) {
      out.push({
        path: [...at, 'cpu'],
        message: `a replica of "${s.name}" needs ${s.cpuPerReplica} CPU cores; a node has ${nodes.cpuCores}, so no replica can be placed`,
      });
      return;
    }
    cpu += s.replicas * s.cpuPerReplica;
    count += s.replicas;
    if (cpu > totalCpu + TOLERANCE || count > nodes.count * slotsPerNode) {
      out.push({
        path: [...at, 'replicas'],
        message: `the replicas cannot all be placed: up to "${s.name}" they need ${Number(cpu.toPrecision(12))} CPU cores in ${count} replicas, and ${nodes.count} nodes of ${nodes.cpuCores} cores hold ${totalCpu} cores (at most ${nodes.count * slotsPerNode} replicas of ${smallest} cores)`,
      });
      return;
    }
  }
};

const radiusIssue = (
  radius: BlastRadius,
  nodes: number,
  path: readonly PathSegment[],
  out: SemanticIssue[],
): void => {
  if (radius.kind === 'count' && radius.count > nodes) {
    out.push({
      path,
      message: `blast radius count:${radius.count} is larger than the cluster (${nodes} node${nodes === 1 ? '' : 's'})`,
    });
  }
};

const randomTargetOf = (f: TimedFault): TargetSpec | null => {
  // A load spike hits services, not nodes: it has no node target to draw.
  if (f.kind === 'load-spike' || f.kind === 'dependency-failure') return null;
  if (f.kind !== 'network-partition') return f.target;
  return f.split.kind === 'isolate' ? f.split.target : null;
};

/** A quorum no set of replicas can form: more acknowledging copies than the service has replicas. */
const quorumIssues = (scenario: Scenario, out: SemanticIssue[]): void => {
  scenario.world.cluster.services.forEach((s, i) => {
    const st = s.stateful;
    if (st?.replication !== 'quorum' || st.acks <= s.replicas) return;
    out.push({
      path: ['cluster', 'services', i, 'stateful', 'replication', 'acks'],
      message: `acks ${st.acks} is more copies than "${s.name}" has replicas (${s.replicas}): no write could ever be acknowledged`,
    });
  });
};

/**
 * What the schema cannot see because it needs two fields at once, or the cluster: replicas that cannot be
 * placed, random windows that are empty or begin after the run, blast radii larger than the cluster, quorums
 * larger than their service, and numbers too large for the model's arithmetic. Paths are the file's, so the loader can give positions.
 */
export const semanticIssues = (scenario: Scenario, input: unknown): SemanticIssue[] => {
  const out: SemanticIssue[] = [];
  hugeNumbers(input, [], out);
  if (out.length > 0) return out;
  placementIssues(scenario, out);
  quorumIssues(scenario, out);
  callGraphIssues(scenario, out);
  const nodes = scenario.world.cluster.nodes.count;
  const end = scenario.durationMs;
  const sources = faultSources(input);
  scenario.world.faults.timeline.forEach((f, k) => {
    const target = randomTargetOf(f);
    if (target?.kind === 'random') {
      radiusIssue(target.radius, nodes, ['faults', sources.timeline[k] ?? k, 'blastRadius'], out);
    }
  });
  scenario.world.faults.random.forEach((r, k) => {
    const at = ['faults', sources.random[k] ?? k, 'random'];
    if (r.fromMs >= end) {
      out.push({
        path: [...at, 'from'],
        message: `the generator starts at ${formatDuration(r.fromMs)}, not before the run ends (${formatDuration(end)}): it would inject nothing`,
      });
    } else if (r.untilMs !== undefined && r.untilMs <= r.fromMs) {
      out.push({
        path: [...at, 'until'],
        message: `until (${formatDuration(r.untilMs)}) is not after from (${formatDuration(r.fromMs)}): the window is empty and the generator would inject nothing`,
      });
    }
    radiusIssue(r.blastRadius, nodes, [...at, 'blastRadius'], out);
    const hasCalls = scenario.world.cluster.services.some((s) => (s.calls?.length ?? 0) > 0);
    if ((r.kinds['dependency-failure'] ?? 0) > 0 && !hasCalls)
      out.push({
        path: [...at, 'kinds', 'dependency-failure'],
        message:
          'dependency-failure needs a call edge to fail, and no service declares `calls`: drop the kind or declare calls',
      });
  });
  return out;
};
