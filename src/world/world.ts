import { err, ok, type Result } from '../base/result.ts';
import { ChaosInjector } from '../chaos/injector.ts';
import type { FaultSchedule } from '../chaos/spec.ts';
import { type ScheduleIssue, validateSchedule } from '../chaos/validate.ts';
import { Cluster, type ClusterBuildError } from '../cluster/cluster.ts';
import { Effectors } from '../cluster/effectors.ts';
import { Monitoring } from '../cluster/monitoring.ts';
import { Sensors } from '../cluster/sensors.ts';
import type { ClusterSpec, WorkloadSpec } from '../cluster/spec.ts';
import { driveWorkload } from '../cluster/workload.ts';
import { endStateOf } from '../measures/end-state.ts';
import type { DetectionReport } from '../measures/fault-measures.ts';
import { LevelTrace } from '../measures/level-trace.ts';
import { ServiceLevelRecorder } from '../measures/service-level.ts';
import type { MeasurementSpec } from '../measures/spec.ts';
import { SimKernel } from '../sim/kernel.ts';
import { RandomStreams } from '../sim/random-streams.ts';
import { Trace } from '../sim/trace.ts';
import type { Controller } from './controller.ts';
import { type WorldOutcome, worldOutcome } from './outcome.ts';

/** Everything that defines a world apart from its seed and its controller. */
export interface WorldSpec {
  readonly cluster: ClusterSpec;
  readonly workload: readonly WorkloadSpec[];
  readonly faults: FaultSchedule;
  readonly measurement: MeasurementSpec;
}

/** Options of one world instance. */
export interface WorldOptions {
  readonly seed: number;
  /** Keep every trace line in memory (for `--trace`); the hash is computed either way. */
  readonly keepTrace?: boolean;
}

/** Why a world could not be built. */
export type WorldError =
  | ClusterBuildError
  | { readonly kind: 'invalid-schedule'; readonly issues: readonly ScheduleIssue[]; readonly message: string }
  | { readonly kind: 'unknown-service'; readonly service: string; readonly message: string };

/**
 * A deterministic world: one kernel, named random streams, the simulated cluster with its monitoring,
 * sensors and effectors, the chaos injector and the ground-truth recorders. Same spec and seed, same trace.
 */
export class World {
  readonly kernel: SimKernel;
  readonly streams: RandomStreams;
  readonly trace: Trace;
  readonly cluster: Cluster;
  readonly monitoring: Monitoring;
  readonly sensors: Sensors;
  readonly effectors: Effectors;
  readonly chaos: ChaosInjector;
  readonly level: ServiceLevelRecorder;
  readonly detections: DetectionReport[] = [];
  private controllerName: string | null = null;
  private started = false;

  private constructor(
    readonly spec: WorldSpec,
    readonly seed: number,
    parts: Pick<
      World,
      'kernel' | 'streams' | 'trace' | 'cluster' | 'monitoring' | 'sensors' | 'effectors' | 'chaos' | 'level'
    >,
  ) {
    this.kernel = parts.kernel;
    this.streams = parts.streams;
    this.trace = parts.trace;
    this.cluster = parts.cluster;
    this.monitoring = parts.monitoring;
    this.sensors = parts.sensors;
    this.effectors = parts.effectors;
    this.chaos = parts.chaos;
    this.level = parts.level;
  }

  /** Builds a world at time 0. Nothing runs until `run` or `runUntil`. */
  static create(spec: WorldSpec, options: WorldOptions): Result<World, WorldError> {
    const issues = validateSchedule(spec.faults, spec.cluster);
    if (issues.length > 0) {
      return err({ kind: 'invalid-schedule', issues, message: issues.map((i) => i.message).join('; ') });
    }
    for (const w of spec.workload) {
      if (!spec.cluster.services.some((s) => s.name === w.service)) {
        return err({
          kind: 'unknown-service',
          service: w.service,
          message: `workload names unknown service "${w.service}"`,
        });
      }
    }
    const kernel = new SimKernel();
    const streams = new RandomStreams(options.seed);
    const trace = new Trace(options.keepTrace ?? false);
    const heartbeats = streams.stream('heartbeats');
    const built = Cluster.create(spec.cluster, kernel, trace, spec.measurement, () => heartbeats.next());
    if (!built.ok) return built;
    const cluster = built.value;
    const monitoring = new Monitoring(
      cluster,
      kernel,
      streams.stream('sensors'),
      streams.stream('sensors/flow'),
    );
    const sensors = new Sensors(cluster, monitoring);
    const effectors = new Effectors(cluster, kernel, (key) => streams.stream(`effectors/${key}`), trace);
    const chaos = new ChaosInjector(cluster, kernel, streams.stream('chaos'), trace);
    const level = new ServiceLevelRecorder(cluster, kernel, spec.measurement.degradationWindowMs);
    cluster.listen(new LevelTrace(trace, cluster.services, kernel.nowMs));
    const parts = { kernel, streams, trace, cluster, monitoring, sensors, effectors, chaos, level };
    return ok(new World(spec, options.seed, parts));
  }

  /** Attaches the controller; at most one, before the world starts. */
  attach(controller: Controller): void {
    if (this.controllerName !== null)
      throw new Error(`a controller (${this.controllerName}) is already attached`);
    if (this.started) throw new Error('attach the controller before running the world');
    this.controllerName = controller.name;
    this.cluster.loadBalancer.useMembership(controller.lbMembership ?? 'active-health-checks');
    const by = controller.name;
    controller.start(
      {
        kernel: this.kernel,
        sensors: this.sensors,
        effectors: { execute: (request, onDone) => this.effectors.execute(request, onDone, by) },
        random: (name) => this.streams.stream(`${by}/${name}`),
        trace: (event) => this.trace.record(event),
        reportDetection: (report) => {
          const d: DetectionReport = { ...report, atMs: this.kernel.nowMs, by };
          this.detections.push(d);
          this.trace.record({
            t: d.atMs,
            kind: 'detected',
            source: by,
            component: d.component,
            diagnosis: d.diagnosis,
          });
        },
      },
      controller.readsGroundTruth === true
        ? {
            onInjected: (l) => this.chaos.onInjected(l),
            upcoming: () => this.chaos.upcoming(),
            timings: { effectors: this.cluster.spec.effectors, loadBalancer: this.cluster.spec.loadBalancer },
          }
        : undefined,
    );
  }

  /** Name of the attached controller, if any. */
  get controller(): string | null {
    return this.controllerName;
  }

  /** Runs the world up to `endMs` of simulated time. */
  runUntil(endMs: number): void {
    this.start();
    this.kernel.runUntil(endMs);
  }

  /** Runs the world for `durationMs` more of simulated time. */
  runFor(durationMs: number): void {
    this.runUntil(this.kernel.nowMs + durationMs);
  }

  /** The ground-truth measures of the run so far. */
  outcome(): WorldOutcome {
    const endMs = this.kernel.nowMs;
    return worldOutcome({
      endMs,
      faults: this.chaos.records,
      actions: this.effectors.ledger,
      detections: this.detections,
      levelChanges: this.level.changes,
      availability: this.level.availability(),
      maxDegradation: this.level.maxDegradation(),
      goodput: this.level.goodput(),
      latencyPeaks: this.level.runLatencies(),
      lostWrites: this.cluster.services.reduce((sum, s) => sum + s.lostWrites, 0),
      splitBrainMs: this.cluster.splitBrainMs(endMs),
      traceHash: this.trace.hash,
      events: this.kernel.firedCount,
      recoveryHoldMs: this.spec.measurement.recoveryHoldMs,
      end: endStateOf(this.cluster, this.chaos.records),
    });
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.trace.record({
      t: 0,
      kind: 'world.started',
      source: 'world',
      seed: this.seed,
      controller: this.controllerName,
    });
    driveWorkload(this.kernel, this.cluster, this.spec.workload);
    this.monitoring.start();
    this.level.start();
    this.chaos.start(this.spec.faults);
  }
}
