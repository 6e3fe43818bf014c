import { z } from 'zod';
import { formatDuration } from '../../base/duration.ts';
import type {
  BlastRadius,
  DurationDistribution,
  FaultKind,
  FaultSchedule,
  RandomFaults,
  ReplicaCount,
  TargetSpec,
  TimedFault,
} from '../../chaos/spec.ts';
import { FAULT_KINDS, PROCESS_FAULT_DEFAULTS, RANDOM_FAULT_DEFAULTS } from '../../chaos/spec.ts';
import {
  BLAST_RADIUS_PATTERN,
  countField,
  durationField,
  fractionField,
  positiveDuration,
  positiveNumber,
  whenValid,
} from './units.ts';

const blastRadius = z
  .string()
  .describe('how many nodes a random target hits: one, count:N or percent:P')
  .meta({
    pattern: BLAST_RADIUS_PATTERN,
    patternErrorMessage: 'one, count:N (N >= 1) or percent:P (0 < P <= 100)',
  })
  .transform((s, ctx): BlastRadius => {
    if (s === 'one') return { kind: 'one' };
    const count = /^count:(\d+)$/.exec(s);
    if (count !== null && Number(count[1]) >= 1) return { kind: 'count', count: Number(count[1]) };
    const percent = /^percent:(\d+(?:\.\d+)?)%?$/.exec(s);
    if (percent !== null && Number(percent[1]) > 0 && Number(percent[1]) <= 100) {
      return { kind: 'percent', percent: Number(percent[1]) };
    }
    ctx.addIssue({
      code: 'custom',
      message: `blast radius "${s}" is not one of: one, count:N (N >= 1), percent:P (0 < P <= 100)`,
    });
    return z.NEVER;
  });

const targetField = z
  .union([z.string(), z.array(z.string()).min(1)])
  .describe(
    'a node (node-3), a list of nodes, primary-of:<service>, replica-of:<service>, replica:<replica id>, or random',
  );

const toTarget = (t: string | string[], radius: BlastRadius | undefined): TargetSpec => {
  if (Array.isArray(t)) return { kind: 'nodes', nodes: t };
  if (t === 'random') return { kind: 'random', radius: radius ?? { kind: 'one' } };
  const m = /^(primary-of|replica-of):(.+)$/.exec(t);
  if (m !== null) return { kind: m[1] as 'primary-of' | 'replica-of', service: m[2] as string };
  const one = /^replica:(.+)$/.exec(t);
  if (one !== null) return { kind: 'replica', replica: one[1] as string };
  return { kind: 'nodes', nodes: [t] };
};

const at = durationField('when the fault lands, from the start of the run');
const optionalDuration = positiveDuration('how long the fault lasts').optional();

const nodeCrash = z.strictObject({
  at,
  kind: z.literal('node-crash'),
  target: targetField,
  blastRadius: blastRadius.optional(),
  duration: positiveDuration(
    'the machine reboots by itself after this long (default: stays down)',
  ).optional(),
});

const partition = z
  .strictObject({
    at,
    kind: z.literal('network-partition'),
    groups: z
      .array(z.array(z.string()).min(1))
      .min(2)
      .optional()
      .describe('groups that cannot reach each other'),
    isolate: targetField.optional().describe('nodes cut off from everything else (or from the `from` list)'),
    blastRadius: blastRadius.optional(),
    from: z.array(z.string()).min(1).optional().describe('isolate only from these nodes or "control"'),
    direction: z
      .enum(['both', 'outbound', 'inbound'])
      .default('both')
      .describe('outbound: the first group (or isolated nodes) cannot send; inbound: cannot receive'),
    duration: positiveDuration('how long until the network heals'),
  })
  .superRefine((p, ctx) => {
    if ((p.groups === undefined) === (p.isolate === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: 'a network-partition needs exactly one of groups or isolate',
      });
    }
    if (p.from !== undefined && p.isolate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: '`from` goes with `isolate`' });
    }
  }, whenValid);

const exhaustion = z
  .strictObject({
    at,
    kind: z.literal('resource-exhaustion'),
    target: targetField,
    blastRadius: blastRadius.optional(),
    resource: z.enum(['cpu', 'memory', 'disk']),
    level: fractionField('share of the resource taken (cpu) or in use (memory, disk)').optional(),
    leak: fractionField('memory only: growth per minute, as a share of the node memory').optional(),
    duration: optionalDuration,
  })
  .superRefine((e, ctx) => {
    if (e.leak !== undefined && e.resource !== 'memory') {
      ctx.addIssue({
        code: 'custom',
        path: ['leak'],
        message: 'only memory leaks; use level for cpu and disk',
      });
    }
    if (e.level === undefined && e.leak === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['level'],
        message: 'give a level (or, for memory, a leak per minute)',
      });
    }
  }, whenValid);

const degradation = z.strictObject({
  at,
  kind: z.literal('performance-degradation'),
  target: targetField,
  blastRadius: blastRadius.optional(),
  latencyFactor: z.number().min(1).finite().default(1).describe('multiplier on service time'),
  capacityFactor: fractionField('share of capacity left').prefault('100%'),
  duration: optionalDuration,
});

const loadSpike = z.strictObject({
  at,
  kind: z.literal('load-spike'),
  services: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('services whose offered load is multiplied (default: every service)'),
  factor: z.number().positive().finite().describe('multiplier on the offered load (2: twice the load)'),
  duration: positiveDuration('how long the spike lasts'),
});

// Process faults: their target names a replica (replica:api-2, replica-of:api, a node: one replica on it).
const P = PROCESS_FAULT_DEFAULTS;
const processTarget = targetField.describe(
  'the replica it lands in: replica:<id>, replica-of:<service>, primary-of:<service>, or a node (one replica on it) or random',
);

const processHang = z.strictObject({
  at,
  kind: z.literal('process-hang'),
  target: processTarget,
  blastRadius: blastRadius.optional(),
  duration: optionalDuration,
});

const crashLoop = z.strictObject({
  at,
  kind: z.literal('crash-loop'),
  target: processTarget,
  blastRadius: blastRadius.optional(),
  exitAfter: positiveDuration('how long the container runs after each start before it exits').prefault(
    formatDuration(P.exitAfterMs),
  ),
  newVersion: z
    .boolean()
    .default(true)
    .describe('whether it ships as a new version of the replica (a rollback cures it); false: a local cause'),
  duration: optionalDuration,
});

const replicaCountField = z
  .union([countField('how many replicas'), z.string()])
  .describe('how many of the service replicas get the new version: a count (2) or a share (50%)')
  .transform((v, ctx): ReplicaCount => {
    if (typeof v === 'number') return { kind: 'count', count: v };
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    const p = m === null ? Number.NaN : Number(m[1]);
    if (p > 0 && p <= 100) return { kind: 'fraction', fraction: p / 100 };
    ctx.addIssue({
      code: 'custom',
      message: `"${v}" is not a count (2) or a share (50%) above 0 and at most 100%`,
    });
    return z.NEVER;
  });

const badDeploy = z
  .strictObject({
    at,
    kind: z.literal('bad-deploy'),
    target: processTarget.describe(
      'the first replica the new version reaches (replica-of:<service> picks one)',
    ),
    replicas: replicaCountField.optional(),
    latencyFactor: z
      .number()
      .min(1)
      .finite()
      .default(P.latencyFactor)
      .describe('multiplier on its service time'),
    errorRate: fractionField('share of the requests the new version fails').prefault('0%'),
    duration: optionalDuration,
  })
  .superRefine((b, ctx) => {
    if (b.latencyFactor === 1 && b.errorRate === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['latencyFactor'],
        message: 'a bad deploy needs a latencyFactor above 1 or an errorRate above 0%',
      });
  }, whenValid);

const processLeak = z.strictObject({
  at,
  kind: z.literal('process-memory-leak'),
  target: processTarget,
  blastRadius: blastRadius.optional(),
  mbPerMinute: positiveNumber("growth of the container's working set, MB per minute"),
  newVersion: z
    .boolean()
    .default(false)
    .describe('whether it ships as a new version of the replica (a rollback cures it)'),
  duration: optionalDuration,
});

const dependencyFailure = z
  .strictObject({
    at,
    kind: z.literal('dependency-failure'),
    from: z.string().describe('the calling service'),
    to: z.string().describe('the called service (a `calls` entry of `from`)'),
    errorRate: fractionField("share of the calls' attempts that fail at once").prefault('0%'),
    latency: durationField('latency added to every attempt of the calls').prefault('0s'),
    duration: optionalDuration,
  })
  .superRefine((d, ctx) => {
    if (d.errorRate === 0 && d.latency === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['errorRate'],
        message: 'give an errorRate above 0%, a latency above 0s, or both',
      });
  }, whenValid);

const timedFault = z
  .discriminatedUnion('kind', [
    nodeCrash,
    partition,
    exhaustion,
    degradation,
    loadSpike,
    processHang,
    crashLoop,
    badDeploy,
    processLeak,
    dependencyFailure,
  ])
  .transform((f): TimedFault => {
    const dur = f.duration === undefined ? {} : { durationMs: f.duration };
    switch (f.kind) {
      case 'node-crash':
        return { kind: f.kind, atMs: f.at, target: toTarget(f.target, f.blastRadius), ...dur };
      case 'network-partition':
        return {
          kind: f.kind,
          atMs: f.at,
          split:
            f.groups !== undefined
              ? { kind: 'groups', groups: f.groups }
              : {
                  kind: 'isolate',
                  target: toTarget(f.isolate ?? 'random', f.blastRadius),
                  ...(f.from === undefined ? {} : { from: f.from }),
                },
          direction: f.direction,
          durationMs: f.duration,
        };
      case 'resource-exhaustion':
        return {
          kind: f.kind,
          atMs: f.at,
          target: toTarget(f.target, f.blastRadius),
          resource: f.resource,
          level: f.level ?? 0,
          leakPerMinute: f.leak ?? 0,
          ...dur,
        };
      case 'performance-degradation':
        return {
          kind: f.kind,
          atMs: f.at,
          target: toTarget(f.target, f.blastRadius),
          latencyFactor: f.latencyFactor,
          capacityFactor: f.capacityFactor,
          ...dur,
        };
      case 'load-spike':
        return {
          kind: f.kind,
          atMs: f.at,
          services: f.services ?? [],
          factor: f.factor,
          durationMs: f.duration,
        };
      case 'process-hang':
        return { kind: f.kind, atMs: f.at, target: toTarget(f.target, f.blastRadius), ...dur };
      case 'crash-loop':
        return {
          kind: f.kind,
          atMs: f.at,
          target: toTarget(f.target, f.blastRadius),
          exitAfterMs: f.exitAfter,
          newVersion: f.newVersion,
          ...dur,
        };
      case 'bad-deploy':
        return {
          kind: f.kind,
          atMs: f.at,
          target: toTarget(f.target, undefined),
          replicas: f.replicas ?? P.replicas,
          latencyFactor: f.latencyFactor,
          errorRate: f.errorRate,
          ...dur,
        };
      case 'process-memory-leak':
        return {
          kind: f.kind,
          atMs: f.at,
          target: toTarget(f.target, f.blastRadius),
          mbPerMinute: f.mbPerMinute,
          newVersion: f.newVersion,
          ...dur,
        };
      case 'dependency-failure':
        return {
          kind: f.kind,
          atMs: f.at,
          from: f.from,
          to: f.to,
          errorRate: f.errorRate,
          latencyMs: f.latency,
          ...dur,
        };
    }
  });

const durationDistribution = z
  .union([
    positiveDuration('fixed duration'),
    z.strictObject({ mean: positiveDuration('mean of an exponential distribution') }),
    z.strictObject({ min: positiveDuration('shortest duration'), max: positiveDuration('longest duration') }),
  ])
  .describe('fault durations: a fixed duration, { mean } (exponential) or { min, max } (uniform)')
  .transform((d): DurationDistribution => {
    if (typeof d === 'number') return { kind: 'fixed', ms: d };
    if ('mean' in d) return { kind: 'exponential', meanMs: d.mean };
    return { kind: 'uniform', minMs: Math.min(d.min, d.max), maxMs: Math.max(d.min, d.max) };
  });

const kindWeights = z
  .partialRecord(z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]]), z.number().min(0).finite())
  .refine((w) => Object.values(w).some((x) => (x ?? 0) > 0), {
    message: 'give at least one fault kind a weight above 0',
  })
  .describe('relative weight of each fault kind');

const R = RANDOM_FAULT_DEFAULTS;

const randomFaults = z
  .strictObject({
    from: durationField('when the generator starts').prefault(formatDuration(R.fromMs)),
    until: durationField('when it stops (default: the end of the run)').optional(),
    meanInterval: positiveDuration('mean time between two faults (exponential inter-arrival times)'),
    kinds: kindWeights,
    blastRadius: blastRadius.prefault('one'),
    maxConcurrent: countField('arrivals while this many generated faults are active are skipped').default(
      R.maxConcurrent,
    ),
    duration: durationDistribution.prefault({ mean: formatDuration(R.duration.meanMs) }),
    resources: z
      .partialRecord(z.enum(['cpu', 'memory', 'disk']), z.number().min(0).finite())
      .default({ ...R.resources })
      .describe('relative weight of each resource for generated resource-exhaustion faults'),
  })
  .transform(
    (r): RandomFaults => ({
      fromMs: r.from,
      ...(r.until === undefined ? {} : { untilMs: r.until }),
      meanIntervalMs: r.meanInterval,
      kinds: r.kinds,
      blastRadius: r.blastRadius,
      maxConcurrent: r.maxConcurrent,
      duration: r.duration,
      resources: r.resources,
    }),
  );

/** One entry of the `faults` list: a fault on the timeline, or `random:` for a seeded generator. */
export const faultEntrySchema = z
  .union([
    z
      .strictObject({ random: randomFaults })
      .describe('a random fault generator: { random: { meanInterval, kinds, ... } }'),
    timedFault.describe('a fault on the timeline: { at, kind, target, ... }'),
  ])
  .describe(
    'a fault on the timeline ({ at, kind, target, ... }) or a random generator ({ random: { meanInterval, kinds, ... } })',
  );

/** A parsed `faults` block, with where each timeline entry sat in the list (for error positions). */
export interface ParsedFaults {
  readonly schedule: FaultSchedule;
  /** Index in the `faults` list of each timeline entry. */
  readonly timelineSource: readonly number[];
}

/** The `faults` block: a list of timeline entries and random generators, in any order. */
export const faultsSchema = z
  .array(faultEntrySchema)
  .default([])
  .transform((entries): ParsedFaults => {
    const timeline: TimedFault[] = [];
    const random: RandomFaults[] = [];
    const timelineSource: number[] = [];
    entries.forEach((e, i) => {
      if ('random' in e) {
        random.push(e.random);
      } else {
        timeline.push(e);
        timelineSource.push(i);
      }
    });
    return { schedule: { timeline, random }, timelineSource };
  });
