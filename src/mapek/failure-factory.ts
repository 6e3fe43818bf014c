import type { NodeId, ServiceId } from '../cluster/ids.ts';
import { impactOf, servicesOn } from './topology.ts';
import type { DetectedFailure, FailureType, RootCause, Symptom, SymptomKind, Topology } from './types.ts';

/** Causes that name a service, not nodes: the failure's component is the service, its impact whole. */
const SERVICE_CAUSES: ReadonlySet<RootCause> = new Set(['overload', 'retry-storm', 'lift-mitigation']);

/** Base severity of each failure type, scaled by how much of the affected services it takes away. */
const SEVERITY_BASE: Readonly<Record<FailureType, number>> = {
  NodeCrash: 1,
  NetworkPartition: 0.9,
  ResourceExhaustion: 0.8,
  PerformanceDegradation: 0.6,
  ProcessFault: 0.5,
  BadDeploy: 0.7,
  DependencyFailure: 0.6,
};

/** Makes one diagnosed failure: its key, the services it touches, its severity, stamped with the cycle's time. */
export type MakeFailure = (
  type: FailureType,
  component: string,
  nodes: readonly NodeId[],
  cause: RootCause,
  rootCause: string,
  evidence: readonly SymptomKind[],
) => DetectedFailure;

/**
 * One analysis' failure maker and the nodes explained so far. A node a failure names is explained: later
 * steps (resource pressure, slow replicas, service symptoms) leave it to that failure.
 */
export interface FailureFactory {
  readonly make: MakeFailure;
  readonly explained: Set<NodeId>;
}

/** The failure maker of one analysis over `topology` at `nowMs`. */
export const failureFactory = (topology: Topology, nowMs: number): FailureFactory => {
  const explained = new Set<NodeId>();
  const make: MakeFailure = (type, component, nodes, cause, rootCause, evidence) => {
    for (const n of nodes) explained.add(n);
    const byService = SERVICE_CAUSES.has(cause);
    const services = byService ? [component as ServiceId] : servicesOn(topology, nodes);
    const impact = byService ? 1 : impactOf(topology, nodes);
    return {
      key: `${type}:${component}`,
      type,
      component,
      nodes,
      services,
      cause,
      rootCause,
      severity: round3(SEVERITY_BASE[type] * (0.5 + 0.5 * impact)),
      evidence,
      detectedAtMs: nowMs,
    };
  };
  return { make, explained };
};

/** A ratio as a failure's description words it (one decimal). */
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The kinds of the symptoms a failure rests on, each once. */
export const kindsOf = (symptoms: readonly Symptom[]): SymptomKind[] => [
  ...new Set(symptoms.map((s) => s.kind)),
];

const round3 = (x: number) => Math.round(x * 1000) / 1000;
