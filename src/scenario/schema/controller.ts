import { z } from 'zod';
import { MapekConfig, type MapekConfigValues } from '../../mapek/config.ts';
import { formatDuration } from '../../sim/duration.ts';
import { type KubernetesSpec, kubernetesSchema } from './kubernetes.ts';
import { countField, durationField, fractionField, positiveDuration } from './units.ts';

/** Controllers a scenario can select. */
export const POLICY_NAMES = ['mapek', 'noop', 'restart-always', 'kubernetes', 'oracle'] as const;

/** The name of a controller. */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** The `controller` block, parsed. */
export interface ControllerSpec {
  readonly policy: PolicyName;
  readonly mapek: MapekConfigValues;
  /** Settings of the `kubernetes` baseline (empty: its defaults). */
  readonly kubernetes?: KubernetesSpec;
}

const M = MapekConfig.DEFAULTS;
const phaseTime = (what: string, ms: number) =>
  durationField(`MAPE-K: sim time ${what}`).prefault(formatDuration(ms));

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
    monitorTime: phaseTime('the monitor phase takes to sample every sensor', M.monitorTimeMs),
    analyzeTime: phaseTime('the analysis phase takes, before its per-symptom time', M.analyzeTimeMs),
    planTime: phaseTime('the planning phase takes, before its per-failure time', M.planTimeMs),
    executeTime: phaseTime('the execution phase takes, before its per-action time', M.executeTimeMs),
    phaseItemTime: phaseTime(
      'each symptom analysed, failure planned or action dispatched adds to its phase',
      M.phaseItemTimeMs,
    ),
    missedHeartbeats: countField('MAPE-K: k of the k-missed-heartbeats failure detector').default(
      M.missedHeartbeats,
    ),
    phiThreshold: z
      .number()
      .positive()
      .finite()
      .default(M.phiThreshold)
      .describe('MAPE-K: suspicion level of the phi-accrual failure detector'),
    errorRateThreshold: fractionField(
      'MAPE-K: a replica failing more than this share of requests is an outlier',
    )
      .refine((x) => x > 0 && x < 1, { message: 'must be above 0% and below 100%' })
      .prefault(`${M.errorRateThreshold * 100}%`),
    latencyThreshold: z
      .number()
      .gt(1)
      .finite()
      .default(M.latencyThreshold)
      .describe(
        'MAPE-K: a replica this many times slower than its peers (or a service than its baseline) is slow',
      ),
    verifyDelay: durationField(
      'MAPE-K: how long after its actions a recovery is verified, so the observations are fresh',
    ).prefault(formatDuration(M.verifyDelayMs)),
    escalateAfter: countField('MAPE-K: failed recovery attempts for one failure before escalating').default(
      M.escalateAfterFailures,
    ),
    kubernetes: kubernetesSchema.optional(),
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
      ...(c.kubernetes === undefined ? {} : { kubernetes: c.kubernetes }),
      mapek: {
        cycleIntervalMs: c.cycleInterval,
        maxCycleTimeMs: c.maxCycleTime,
        maxRecoveryTimeMs: c.maxRecoveryTime,
        enableKnowledgeUpdates: c.enableKnowledgeUpdates,
        monitorTimeMs: c.monitorTime,
        analyzeTimeMs: c.analyzeTime,
        planTimeMs: c.planTime,
        executeTimeMs: c.executeTime,
        phaseItemTimeMs: c.phaseItemTime,
        missedHeartbeats: c.missedHeartbeats,
        phiThreshold: c.phiThreshold,
        errorRateThreshold: c.errorRateThreshold,
        latencyThreshold: c.latencyThreshold,
        verifyDelayMs: c.verifyDelay,
        escalateAfterFailures: c.escalateAfter,
      },
    }),
  );
