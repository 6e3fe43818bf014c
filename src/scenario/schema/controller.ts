import { z } from 'zod';
import { MapekConfig, type MapekConfigValues } from '../../mapek/config.ts';
import { formatDuration } from '../../sim/duration.ts';
import { positiveDuration } from './units.ts';

/** Controllers a scenario can select. */
export const POLICY_NAMES = ['mapek', 'noop', 'restart-always', 'kubernetes', 'oracle'] as const;

/** The name of a controller. */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** The `controller` block, parsed. */
export interface ControllerSpec {
  readonly policy: PolicyName;
  readonly mapek: MapekConfigValues;
}

const M = MapekConfig.DEFAULTS;

/** The `controller` block of a scenario: which policy, and the MAPE-K loop's settings. */
export const controllerSchema = z
  .strictObject({
    policy: z.enum(POLICY_NAMES).default('mapek').describe('the controller driving the cluster'),
    cycleInterval: positiveDuration('MAPE-K: time between the starts of two cycles').prefault(
      formatDuration(M.cycleIntervalMs),
    ),
    maxCycleTime: positiveDuration('MAPE-K: a cycle running longer is cut off').prefault(
      formatDuration(M.maxCycleTimeMs),
    ),
    maxRecoveryTime: positiveDuration('MAPE-K: a recovery not verified by then has failed').prefault(
      formatDuration(M.maxRecoveryTimeMs),
    ),
    enableKnowledgeUpdates: z
      .boolean()
      .default(M.enableKnowledgeUpdates)
      .describe('MAPE-K: false freezes what it has learned'),
  })
  .prefault({})
  .superRefine((c, ctx) => {
    if (c.maxCycleTime < c.cycleInterval) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxCycleTime'],
        message: 'maxCycleTime must be at least cycleInterval',
      });
    }
  })
  .transform(
    (c): ControllerSpec => ({
      policy: c.policy,
      mapek: {
        cycleIntervalMs: c.cycleInterval,
        maxCycleTimeMs: c.maxCycleTime,
        maxRecoveryTimeMs: c.maxRecoveryTime,
        enableKnowledgeUpdates: c.enableKnowledgeUpdates,
      },
    }),
  );
