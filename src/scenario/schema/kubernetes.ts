import { z } from 'zod';
import {
  KUBERNETES_VERSIONS,
  type KubernetesSpec,
  type KubernetesVersion,
} from '../../policies/kubernetes/versions.ts';
import { positiveDuration } from './units.ts';

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
