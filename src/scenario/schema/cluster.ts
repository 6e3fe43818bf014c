import { z } from 'zod';
import { formatDuration } from '../../base/duration.ts';
import { CONTROL_PLANE, type ServiceId } from '../../cluster/ids.ts';
import {
  type CallSpec,
  CLUSTER_DEFAULTS,
  type ClusterSpec,
  type ReplicationMode,
  type ServiceSpec,
} from '../../cluster/spec.ts';
import {
  countField,
  durationField,
  fractionField,
  positiveDuration,
  positiveNumber,
  whenValid,
} from './units.ts';

const D = CLUSTER_DEFAULTS;
const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;
const dur = (what: string, ms: number) => positiveDuration(what).prefault(formatDuration(ms));

const nodes = z
  .strictObject({
    count: countField('number of nodes, named node-1 to node-<count>').max(100_000),
    cpu: positiveNumber('CPU cores per node').default(D.nodes.cpuCores),
    memoryGb: positiveNumber('memory per node in GB').default(D.nodes.memoryGb),
    memoryUse: fractionField('memory in use on a healthy node').prefault(pct(D.nodes.baseMemoryUse)),
    diskUse: fractionField('disk in use on a healthy node').prefault(pct(D.nodes.baseDiskUse)),
  })
  .describe('the machines: identical nodes');

const MODES = ['sync', 'async', 'quorum'] as const;
const replicationMode = z
  .enum(MODES)
  .describe(
    'sync: acknowledged writes survive a failover; async: replicas trail; quorum: acks copies hold a write and a promotion needs a majority',
  );

const replication = z.union([
  replicationMode,
  z
    .strictObject({
      mode: replicationMode,
      acks: countField('copies, the primary included, that hold a write before it is acknowledged (quorum)')
        .max(10_000)
        .optional(),
    })
    .describe('the replication mode, and for quorum how many copies acknowledge a write'),
]);

const stateful = z
  .strictObject({
    replication,
    lag: durationField('how far async replicas trail the primary').prefault(
      formatDuration(D.stateful.asyncLagMs),
    ),
    lease: dur(
      'how long a primary cut off from the control plane keeps accepting writes',
      D.stateful.leaseMs,
    ),
    fencing: z
      .enum(['lease', 'none'])
      .default(D.stateful.fencing)
      .describe(
        'lease: a promotion waits out the old primary lease; none: promote at once (split brain possible)',
      ),
    catchUpRate: positiveNumber(
      'writes per second a replica that fell behind applies while it catches up',
    ).default(D.stateful.catchUpRps),
    dataGb: positiveNumber('data a new replica copies as a snapshot before it serves, in GB').default(
      D.stateful.dataGb,
    ),
    snapshotMBps: positiveNumber('bandwidth of the snapshot copy, in MB per second').default(
      D.stateful.snapshotMBps,
    ),
    rtt: dur(
      'round trip from the primary to its replicas; sync and quorum writes wait one before they are acknowledged',
      D.stateful.rttMs,
    ),
  })
  .describe('makes the service stateful: one primary takes writes, the other replicas follow its log');

/** The mode and, for quorum, the acknowledging copies: a majority of the replicas unless stated. */
const replicationOf = (
  r: z.output<typeof replication>,
  replicas: number,
): { readonly replication: ReplicationMode; readonly acks: number } => {
  const mode = typeof r === 'string' ? r : r.mode;
  const acks = typeof r === 'string' ? undefined : r.acks;
  return { replication: mode, acks: mode === 'quorum' ? (acks ?? Math.floor(replicas / 2) + 1) : 1 };
};

const RESERVED = /^(node(-.*)?|control)$/;

const call = z
  .strictObject({
    service: z.string().describe('the callee, a service of this cluster'),
    perRequest: z
      .number()
      .finite()
      .default(D.call.perRequest)
      .describe('sequential calls per request served (fan-out; a mean, may be fractional; must be > 0)'),
    timeout: dur("the caller's timeout per attempt of a call", D.call.timeoutMs),
    retries: countField('attempts per call, the first included (1: no retries), as a workload client')
      .max(100)
      .default(D.call.attempts),
    fallback: z
      .boolean()
      .default(D.call.fallback)
      .describe('a failed call becomes a degraded success (cached or default answer) instead of an error'),
  })
  .transform(
    (c): CallSpec => ({
      service: c.service as ServiceId,
      perRequest: c.perRequest,
      timeoutMs: c.timeout,
      attempts: c.retries,
      fallback: c.fallback,
    }),
  );

const service = z
  .strictObject({
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*$/,
        'a service name is lowercase letters, digits and dashes, starting with a letter',
      )
      .refine((n) => !RESERVED.test(n), {
        message: `service names "node-..." and "${CONTROL_PLANE}" are reserved`,
      })
      .describe('service name; replicas are named <name>-1, <name>-2...'),
    replicas: countField('replicas spread over the nodes').max(10_000),
    capacityRps: positiveNumber('requests per second one healthy replica serves at full utilisation'),
    latency: dur('service time of a request on an idle replica', D.service.latencyMs),
    cpu: positiveNumber('CPU cores each replica reserves').default(D.service.cpuPerReplica),
    stateful: stateful.optional(),
    concurrency: countField(
      "workers per replica serving in parallel (M/M/c); default ceil(capacityRps x latency), by Little's law",
    )
      .max(100_000)
      .optional(),
    queueLimit: z
      .number()
      .int()
      .min(0)
      .max(1e9)
      .optional()
      .describe(
        'requests a replica may queue beyond its workers before it rejects; default 1024 (Envoy max_pending_requests)',
      ),
    memoryLimit: positiveNumber("the container's memory limit, MB (resources.limits.memory); default 512")
      .max(1e7)
      .optional(),
    memory: positiveNumber(
      "the container's working set right after it starts, MB; default a quarter of its limit",
    )
      .max(1e7)
      .optional(),
    calls: z
      .array(call)
      .optional()
      .describe('services this one calls while serving a request; its workers wait on them'),
  })
  .superRefine((s, ctx) => {
    const limit = s.memoryLimit ?? 512;
    if (s.memory !== undefined && s.memory >= limit)
      ctx.addIssue({
        code: 'custom',
        path: ['memory'],
        message: `a container starting at ${s.memory} MB is over its ${limit} MB limit at once`,
      });
  }, whenValid)
  .transform(
    (s): ServiceSpec => ({
      name: s.name as ServiceId,
      replicas: s.replicas,
      capacityRps: s.capacityRps,
      latencyMs: s.latency,
      cpuPerReplica: s.cpu,
      ...(s.concurrency === undefined ? {} : { concurrency: s.concurrency }),
      ...(s.queueLimit === undefined ? {} : { queueLimit: s.queueLimit }),
      ...(s.memoryLimit === undefined ? {} : { memoryLimitMb: s.memoryLimit }),
      ...(s.memory === undefined ? {} : { memoryMb: s.memory }),
      ...(s.calls === undefined || s.calls.length === 0 ? {} : { calls: s.calls }),
      ...(s.stateful === undefined
        ? {}
        : {
            stateful: {
              ...replicationOf(s.stateful.replication, s.replicas),
              asyncLagMs: s.stateful.lag,
              catchUpRps: s.stateful.catchUpRate,
              snapshotMs: Math.round((s.stateful.dataGb * 1_000 * 1_000) / s.stateful.snapshotMBps),
              rttMs: s.stateful.rtt,
              leaseMs: s.stateful.lease,
              fencing: s.stateful.fencing,
            },
          }),
    }),
  );

const loadBalancer = z
  .strictObject({
    healthCheckInterval: dur(
      'time between two health checks of a replica',
      D.loadBalancer.healthCheckIntervalMs,
    ),
    unhealthyThreshold: countField('failed checks in a row before a replica leaves rotation').default(
      D.loadBalancer.unhealthyThreshold,
    ),
    healthyThreshold: countField('passed checks in a row before a replica rejoins rotation').default(
      D.loadBalancer.healthyThreshold,
    ),
  })
  .describe("the load balancer's active health checks");

const sensors = z
  .strictObject({
    heartbeatInterval: dur('time between two heartbeats of a node', D.sensors.heartbeatIntervalMs),
    heartbeatDelay: durationField('network delay of a heartbeat').prefault(
      formatDuration(D.sensors.heartbeatDelayMs),
    ),
    scrapeInterval: dur('time between two metric scrapes', D.sensors.scrapeIntervalMs),
    metricNoise: fractionField('relative noise on scraped metrics').prefault(pct(D.sensors.metricNoise)),
    hostStatusLag: durationField('how far behind the cloud host-status API is').prefault(
      formatDuration(D.sensors.hostStatusLagMs),
    ),
    heartbeatJitter: durationField(
      'mean extra network delay of a heartbeat (exponential; 0s: none)',
    ).prefault(formatDuration(D.sensors.heartbeatJitterMs)),
    gcPauseEvery: durationField(
      "time between two stop-the-world pauses of a node's agent (0s: none)",
    ).prefault(formatDuration(D.sensors.gcPauseEveryMs)),
    gcPause: durationField('mean length of a stop-the-world pause (exponential)').prefault(
      formatDuration(D.sensors.gcPauseMs),
    ),
  })
  .describe('what a controller can observe, and how fresh it is');

const effectors = z
  .strictObject({
    nodeBoot: dur('time for a restarted node to boot', D.effectors.nodeBootMs),
    replicaStart: dur('time for a replica to start', D.effectors.replicaStartMs),
    promote: dur('time to promote a replica to primary', D.effectors.promoteMs),
    reconfigure: dur(
      'time for a configuration change (drain, shed, cordon, scale-in)',
      D.effectors.reconfigureMs,
    ),
    raiseLimit: dur('time to grow a node memory or disk', D.effectors.raiseLimitMs),
    failureRate: fractionField('probability that an action fails').prefault(
      pct(D.effectors.failureProbability),
    ),
    limitRaiseFactor: z
      .number()
      .min(1)
      .default(D.effectors.limitRaiseFactor)
      .describe('factor raise-limit grows a limit by'),
  })
  .describe('how long actions take and how often they fail');

/** The `cluster` block of a scenario. */
export const clusterSchema = z
  .strictObject({
    nodes,
    services: z.array(service).min(1).describe('services running on the nodes'),
    loadBalancer: loadBalancer.prefault({}),
    sensors: sensors.prefault({}),
    effectors: effectors.prefault({}),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.services.forEach((s, i) => {
      if (seen.has(s.name))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'name'],
          message: `duplicate service "${s.name}"`,
        });
      seen.add(s.name);
    });
  }, whenValid)
  .transform(
    (c): ClusterSpec => ({
      nodes: {
        count: c.nodes.count,
        cpuCores: c.nodes.cpu,
        memoryGb: c.nodes.memoryGb,
        baseMemoryUse: c.nodes.memoryUse,
        baseDiskUse: c.nodes.diskUse,
      },
      services: c.services,
      loadBalancer: {
        healthCheckIntervalMs: c.loadBalancer.healthCheckInterval,
        unhealthyThreshold: c.loadBalancer.unhealthyThreshold,
        healthyThreshold: c.loadBalancer.healthyThreshold,
      },
      sensors: {
        heartbeatIntervalMs: c.sensors.heartbeatInterval,
        heartbeatDelayMs: c.sensors.heartbeatDelay,
        scrapeIntervalMs: c.sensors.scrapeInterval,
        metricNoise: c.sensors.metricNoise,
        hostStatusLagMs: c.sensors.hostStatusLag,
        heartbeatJitterMs: c.sensors.heartbeatJitter,
        gcPauseEveryMs: c.sensors.gcPauseEvery,
        gcPauseMs: c.sensors.gcPause,
      },
      effectors: {
        nodeBootMs: c.effectors.nodeBoot,
        replicaStartMs: c.effectors.replicaStart,
        promoteMs: c.effectors.promote,
        reconfigureMs: c.effectors.reconfigure,
        raiseLimitMs: c.effectors.raiseLimit,
        failureProbability: c.effectors.failureRate,
        limitRaiseFactor: c.effectors.limitRaiseFactor,
      },
    }),
  );
