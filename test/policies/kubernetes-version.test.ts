import { describe, expect, it } from 'vitest';
import { kubernetesSettingsFor } from '../../src/policies/kubernetes/defaults.ts';
import { controllerSchema } from '../../src/scenario/schema/controller.ts';

describe('controller.kubernetes: the release or the grace itself, from a scenario (issue 11)', () => {
  it('version 1.32 gives the 50 s node grace period', () => {
    const spec = controllerSchema.parse({ policy: 'kubernetes', kubernetes: { version: '1.32' } });

    const settings = kubernetesSettingsFor(spec.kubernetes);

    expect(settings.nodeLifecycle.gracePeriodMs).toBe(50_000);
    expect(settings.nodeLifecycle.tolerationMs).toBe(300_000);
  });

  it('the grace and eviction timeout written out override the version', () => {
    const spec = controllerSchema.parse({
      kubernetes: { version: '1.32', nodeMonitorGracePeriod: '20s', podEvictionTimeout: '1m' },
    });

    const settings = kubernetesSettingsFor(spec.kubernetes);

    expect(settings.nodeLifecycle).toMatchObject({ gracePeriodMs: 20_000, tolerationMs: 60_000 });
  });

  it('without the block the defaults stay (40 s), and an unknown release is refused', () => {
    const spec = controllerSchema.parse({ policy: 'kubernetes' });

    expect(kubernetesSettingsFor(spec.kubernetes).nodeLifecycle.gracePeriodMs).toBe(40_000);
    expect(controllerSchema.safeParse({ kubernetes: { version: '1.12' } }).success).toBe(false);
  });
});
