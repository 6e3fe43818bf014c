import { z } from 'zod';
import type { Millis } from '../../sim/duration.ts';
import { positiveDuration } from './units.ts';

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

/** The `controller.kubernetes` block: which release the `kubernetes` baseline behaves as, or its grace itself. */
export const kubernetesSchema = z
  .strictObject({
    version: z
      .enum(Object.keys(KUBERNETES_VERSIONS) as [KubernetesVersion, ...KubernetesVersion[]])
      .optional()
      .describe(
        'kubernetes: the release whose defaults the baseline uses (1.32 raised the node grace to 50s)',
      ),
    nodeMonitorGracePeriod: positiveDuration(
      'kubernetes: silence after which a node is NotReady (--node-monitor-grace-period); overrides the version',
    ).optional(),
    podEvictionTimeout: positiveDuration(
      'kubernetes: how long pods tolerate a NotReady node before they are evicted (DefaultTolerationSeconds)',
    ).optional(),
  })
  .describe('settings of the kubernetes baseline')
  .transform(
    (k): KubernetesSpec => ({
      ...(k.version === undefined ? {} : { version: k.version }),
      ...(k.nodeMonitorGracePeriod === undefined
        ? {}
        : { nodeMonitorGracePeriodMs: k.nodeMonitorGracePeriod }),
      ...(k.podEvictionTimeout === undefined ? {} : { podEvictionTimeoutMs: k.podEvictionTimeout }),
    }),
  );
