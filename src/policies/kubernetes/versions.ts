import type { Millis } from '../../base/duration.ts';

/**
 * What changed between the Kubernetes releases a scenario may name, as data: the node monitor grace period
 * (`--node-monitor-grace-period`), 40 s up to v1.31, 50 s from v1.32 (kubernetes/kubernetes#126287).
 */
export const KUBERNETES_VERSIONS = {
  '1.29': { nodeMonitorGracePeriodMs: 40_000 },
  '1.30': { nodeMonitorGracePeriodMs: 40_000 },
  '1.31': { nodeMonitorGracePeriodMs: 40_000 },
  '1.32': { nodeMonitorGracePeriodMs: 50_000 },
  '1.33': { nodeMonitorGracePeriodMs: 50_000 },
} as const satisfies Record<string, { readonly nodeMonitorGracePeriodMs: Millis }>;

/** A Kubernetes release the `kubernetes` baseline can behave as. */
export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;

/** The `controller.kubernetes` block, parsed: what the `kubernetes` baseline should differ in from its defaults. */
export interface KubernetesSpec {
  readonly version?: KubernetesVersion;
  /** Silence after which a node is NotReady; overrides the version's. */
  readonly nodeMonitorGracePeriodMs?: Millis;
  /** How long pods tolerate a NotReady node before eviction (`DefaultTolerationSeconds`). */
  readonly podEvictionTimeoutMs?: Millis;
}
