import type { NodeId, ReplicaId, ServiceId } from '../cluster/ids.ts';
import type { ContainerStatus } from '../cluster/sensors.ts';
import type { DetectedFailure, ProcessEvidence, RootCause, Symptom, SymptomKind, Topology } from './types.ts';

/** The numbers the process diagnosis runs on. */
export const PROCESS_DIAGNOSIS = {
  /**
   * A working set at this share of its container's limit is a leak heading for the OOM killer (the usual
   * "container memory near limit" alert fires at 80 to 90 %): restarted before the kill.
   */
  memoryShare: 0.85,
  /**
   * Cycles a running, not-ready container must stay so on a healthy node before it counts as hung: a node-level
   * fault (a full disk) fails readiness at once while its own symptom waits for the next scrape.
   */
  hangCycles: 2,
} as const;

/** Everything the process diagnosis reads: the monitor's container alerts, the symptoms, the inventory. */
export interface ProcessDiagnosisInput {
  readonly containers: readonly ContainerStatus[];
  readonly symptoms: readonly Symptom[];
  readonly topology: Topology;
  /** Nodes something else already explains (silent, cut off, under resource pressure): not process faults. */
  readonly nodeFaults: ReadonlySet<NodeId>;
  readonly suspected: readonly NodeId[];
  readonly nowMs: number;
  /** Whether a suspicion keyed `key` has now lasted `cycles` cycles (the analysis' streak counter). */
  readonly confirmed: (key: string, cycles: number) => boolean;
}

/** The process failures found, and the replicas they explain (their outlier symptoms are no node's). */
export interface ProcessDiagnosis {
  readonly failures: readonly DetectedFailure[];
  readonly explained: ReadonlySet<ReplicaId>;
}

const SEVERITY: Readonly<Record<'ProcessFault' | 'BadDeploy', number>> = {
  ProcessFault: 0.5,
  BadDeploy: 0.7,
};

const evidenceOf = (replicas: readonly ContainerStatus[]): ProcessEvidence => {
  const first = replicas[0];
  return {
    replicas: replicas.map((c) => c.replica),
    newVersion: replicas.every((c) => c.version !== c.previousVersion),
    version: first?.version ?? 0,
    previousVersion: first?.previousVersion ?? 0,
    restarts: replicas.reduce((m, c) => Math.max(m, c.restarts), 0),
  };
};

const failure = (
  type: 'ProcessFault' | 'BadDeploy',
  component: string,
  service: ServiceId,
  cause: RootCause,
  rootCause: string,
  evidence: readonly SymptomKind[],
  replicas: readonly ContainerStatus[],
  nowMs: number,
  share: number,
): DetectedFailure => ({
  key: `${type}:${component}`,
  type,
  component,
  // The nodes are healthy: the failure covers no node, only its service.
  nodes: [],
  services: [service],
  cause,
  rootCause,
  severity: Math.round(SEVERITY[type] * (0.5 + 0.5 * share) * 1000) / 1000,
  evidence,
  detectedAtMs: nowMs,
  process: evidenceOf(replicas),
});

const mb = (x: number) => `${Math.round(x)} MB`;

/**
 * Faults inside processes, told from node faults: a replica bad on a node nothing else explains (its
 * heartbeats arrive, no resource pressure, and any peer on the node fine), versus every replica on a node (the
 * node's diagnosis). Per container: a running one that is not ready for `hangCycles` cycles is hung (restart in
 * place); one ended by the OOM killer, or near its memory limit, leaks (restart in place, before the kill); one
 * that exited on an error crash-loops (restart once; a restart that did not help, replace it). Replicas on a
 * newer version than before are judged as a version: crash-looping, failing or slower than their peers on the
 * old one (or the whole service failing with every replica on it), they are a bad deploy of their service
 * (roll back). One failure per replica, or per service for a version.
 */
export const diagnoseProcesses = (input: ProcessDiagnosisInput): ProcessDiagnosis => {
  const { containers, topology, nowMs } = input;
  const failures: DetectedFailure[] = [];
  const explained = new Set<ReplicaId>();
  const suspected = new Set(input.suspected);
  const healthyNode = (node: NodeId) => !input.nodeFaults.has(node) && !suspected.has(node);
  const troubled = new Set(containers.map((c) => c.replica));
  // A process fault is one replica among healthy peers: a node whose every replica is in trouble is the node's.
  const peersFine = (c: ContainerStatus) => {
    const here = topology.byNode.get(c.node) ?? [];
    return here.length < 2 || here.some((p) => p.replica !== c.replica && !troubled.has(p.replica));
  };
  const outliers = new Map<ReplicaId, SymptomKind>();
  for (const s of input.symptoms)
    if (s.kind === 'replica-errors' || s.kind === 'replica-latency') outliers.set(s.replica, s.kind);
  const serviceSymptoms = new Map<ServiceId, SymptomKind[]>();
  for (const s of input.symptoms) {
    if (s.kind === 'service-errors' || s.kind === 'service-latency' || s.kind === 'tail-latency')
      serviceSymptoms.set(s.service, [...(serviceSymptoms.get(s.service) ?? []), s.kind]);
  }
  const shareOf = (service: ServiceId, n: number) =>
    n / Math.max(1, topology.byService.get(service)?.length ?? 1);

  // 1. Versions: the replicas of a service on a newer version, when they are the bad ones.
  const byService = new Map<ServiceId, ContainerStatus[]>();
  for (const c of containers) {
    if (c.version === c.previousVersion || !healthyNode(c.node)) continue;
    byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
  }
  for (const [service, fresh] of byService) {
    const crashing = fresh.filter((c) => !c.running && !c.starting && c.lastTermination !== null);
    const failing = fresh.filter((c) => outliers.has(c.replica));
    const all = fresh.length >= (topology.byService.get(service)?.length ?? Number.POSITIVE_INFINITY);
    const whole = all ? (serviceSymptoms.get(service) ?? []) : [];
    if (crashing.length === 0 && failing.length === 0 && whole.length === 0) continue;
    const v = fresh[0]?.version ?? 0;
    const before = fresh[0]?.previousVersion ?? 0;
    const names = fresh.map((c) => c.replica).join(', ');
    const how =
      crashing.length > 0
        ? `${crashing.map((c) => c.replica).join(', ')} exit${crashing.length === 1 ? 's' : ''} on an error after each start (${crashing.reduce((m, c) => Math.max(m, c.restarts), 0)} restarts)`
        : failing.length > 0
          ? `${failing.map((c) => c.replica).join(', ')} ${failing.length === 1 ? 'fails or is' : 'fail or are'} slower than their peers on v${before}`
          : `the whole service degraded since every replica runs it`;
    const cause: RootCause = crashing.length > 0 ? 'crash-loop' : 'bad-deploy';
    const evidence: SymptomKind[] = [
      ...new Set([...failing.map((c) => outliers.get(c.replica) ?? 'replica-errors'), ...whole]),
    ];
    failures.push(
      failure(
        'BadDeploy',
        service,
        service,
        cause,
        `bad deploy: ${service} v${v} (on ${names}; v${before} before): ${how}`,
        evidence,
        fresh,
        nowMs,
        shareOf(service, fresh.length),
      ),
    );
    for (const c of fresh) explained.add(c.replica);
  }

  // 2. Single replicas: hung, leaking, crash-looping, on a healthy node among healthy peers.
  for (const c of containers) {
    if (explained.has(c.replica) || !healthyNode(c.node) || !peersFine(c)) continue;
    const one = (cause: RootCause, why: string) => {
      failures.push(
        failure('ProcessFault', c.replica, c.service, cause, why, [], [c], nowMs, shareOf(c.service, 1)),
      );
      explained.add(c.replica);
    };
    if (c.running && !c.ready) {
      if (input.confirmed(`hang:${c.replica}`, PROCESS_DIAGNOSIS.hangCycles))
        one(
          'hang',
          `${c.replica} on ${c.node} runs but does not answer its probes (hung); ${c.node} and its peers are healthy`,
        );
      continue;
    }
    if (!c.running && !c.starting && c.lastTermination === 'OOMKilled') {
      one(
        'process-leak',
        `${c.replica} was OOM-killed at its ${mb(c.memoryLimitMb)} limit (a leak in its process); ${c.node} is healthy`,
      );
      continue;
    }
    if (!c.running && !c.starting && c.lastTermination === 'Error') {
      one(
        'crash-loop',
        `${c.replica} exits on an error${c.restarts > 0 ? ` again after ${c.restarts} restart${c.restarts === 1 ? '' : 's'} (crash-looping)` : ''}; ${c.node} is healthy`,
      );
      continue;
    }
    if (c.running && c.memoryMb >= PROCESS_DIAGNOSIS.memoryShare * c.memoryLimitMb)
      one(
        'process-leak',
        `${c.replica} uses ${mb(c.memoryMb)} of its ${mb(c.memoryLimitMb)} limit (a leak, heading for the OOM killer)`,
      );
  }
  return { failures, explained };
};
