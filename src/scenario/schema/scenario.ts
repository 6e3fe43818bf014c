import { z } from 'zod';
import type { Millis } from '../../base/duration.ts';
import { validateSchedule } from '../../chaos/validate.ts';
import type { ControllerSpec } from '../../controllers/controller-spec.ts';
import type { WorldSpec } from '../../world/world.ts';
import { clusterSchema } from './cluster.ts';
import { controllerSchema } from './controller.ts';
import { faultsSchema } from './faults.ts';
import { measurementSchema } from './measurement.ts';
import { type SloSpec, sloSchema } from './slo.ts';
import { positiveDuration, whenValid } from './units.ts';
import { workloadSchema } from './workload.ts';

/** A scenario, parsed and checked: everything needed to build a world, drive it and judge it. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The default seed; the command line overrides it. */
  readonly seed: number;
  readonly durationMs: Millis;
  readonly world: WorldSpec;
  readonly controller: ControllerSpec;
  readonly slo: SloSpec;
}

/** Rewrites a fault schedule path (`timeline`, i, `split`, ...) into the file's (`faults`, j, ...). */
const filePath = (
  path: readonly (string | number)[],
  timelineSource: readonly number[],
): (string | number)[] => {
  const [, index, ...rest] = path;
  const out: (string | number)[] = ['faults', timelineSource[Number(index)] ?? Number(index)];
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i];
    if (key === 'split') {
      if (rest[i + 1] === 'target') {
        out.push('isolate');
        i++;
      }
      continue;
    }
    if (key !== undefined) out.push(key);
  }
  return out;
};

/** The whole scenario file. */
export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).describe('a short name, shown in reports'),
    description: z.string().default('').describe('what the scenario shows'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 53 - 1)
      .default(1)
      .describe('default seed; --seed and --seeds override it'),
    duration: positiveDuration('simulated time the run lasts'),
    cluster: clusterSchema,
    workload: z.array(workloadSchema).default([]).describe('offered load per service'),
    controller: controllerSchema,
    faults: faultsSchema.describe('a timeline of faults and `random:` generators'),
    slo: sloSchema,
    measurement: measurementSchema,
  })
  .superRefine((s, ctx) => {
    const services = new Set(s.cluster.services.map((x) => x.name as string));
    s.workload.forEach((w, i) => {
      if (!services.has(w.service)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workload', i, 'service'],
          message: `unknown service "${w.service}": services are ${[...services].join(', ')}`,
        });
      }
    });
    for (const issue of validateSchedule(s.faults.schedule, s.cluster)) {
      ctx.addIssue({
        code: 'custom',
        path: filePath(issue.path, s.faults.timelineSource),
        message: issue.message,
      });
    }
    s.faults.schedule.timeline.forEach((f, i) => {
      if (f.atMs >= s.duration) {
        ctx.addIssue({
          code: 'custom',
          path: ['faults', s.faults.timelineSource[i] ?? i, 'at'],
          message: 'the fault lands after the run has ended',
        });
      }
    });
  }, whenValid)
  .transform(
    (s): Scenario => ({
      name: s.name,
      description: s.description,
      seed: s.seed,
      durationMs: s.duration,
      world: {
        cluster: s.cluster,
        workload: s.workload,
        faults: s.faults.schedule,
        // The latency objectives are level criteria too: a service above them is not at its level.
        measurement: {
          ...s.measurement,
          ...(s.slo.latencyP99Ms === undefined ? {} : { latencyP99Ms: s.slo.latencyP99Ms }),
          ...(s.slo.latencyP50Ms === undefined ? {} : { latencyP50Ms: s.slo.latencyP50Ms }),
        },
      },
      controller: s.controller,
      slo: s.slo,
    }),
  );
