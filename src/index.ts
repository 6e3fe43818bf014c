/**
 * mapek: deterministic chaos simulation of a distributed cluster with a self-healing MAPE-K loop.
 * The public API, exported once (property-based testing is its own entry point, `mapek/testing`).
 * Everything else under src/ is internal. Biome keeps these statements sorted by module path.
 */

/** Atomic file writes (every byte, fsync of file and directory, rename), as every persisted file is written. */
export { type WriteError, writeFileAtomic } from './base/atomic-write.ts';
/** Duration parsing and formatting (`250ms`, `30s`, `5m`, `24h`). */
export { type DurationError, formatDuration, type Millis, parseDuration } from './base/duration.ts';
/** Output paths checked before any work: regular files or new ones, never an input or another output. */
export { checkOutputPaths, type OutputPathIssue } from './base/output-paths.ts';
/** A value or a typed error. */
export type { Result } from './base/result.ts';
/** Result constructors. */
export { err, ok } from './base/result.ts';
/** Self-contained HTML reports of a run, a seed sweep or a benchmark (`mapek report`). */
export { renderBenchReport } from './bench/bench-page.ts';
/** The fault catalog as data: one row per fault kind, how it breaks the cluster and how it is undone. */
export { FAULT_CATALOG, type FaultDefinition } from './chaos/fault-catalog.ts';
/** Fault records: the ground truth of what chaos did (id, kind, targets, injected and cleared times). */
export type { FaultId, FaultRecord, SkippedFault } from './chaos/ground-truth.ts';
/** Fault parameters, kinds, targets, blast radius and the random generator's settings. */
export {
  type BlastRadius,
  FAULT_KINDS,
  type FaultKind,
  type FaultParams,
  PROCESS_FAULT_DEFAULTS,
  type RandomFaults,
  type ReplicaCount,
  type TargetSpec,
} from './chaos/spec.ts';
export { renderReportFile } from './cli/report-input.ts';
/** The effector action catalog as data (type, cost, duration, reach), and the requests controllers send. */
export {
  ACTION_CATALOG,
  type ActionDefinition,
  type ActionFailure,
  type ActionKind,
  type ActionOutcome,
  type ActionRequest,
  describeAction,
} from './cluster/actions.ts';
/** Effectors: the actions a controller can take, each taking sim time, able to fail, with a cost. */
export { type ActionRecord, Effectors } from './cluster/effectors.ts';
/** The call graph's composition: one edge's outcome, a caller's over its edges, its held workers' service time. */
export {
  type CallerComposition,
  type CallInputs,
  type CallOutcome,
  callerConcurrency,
  callerServiceTimeMs,
  composeCall,
  composeCaller,
  createCallOutcome,
} from './cluster/queueing/call-composition.ts';
/** Traffic model: Erlang C and the M/M/c waiting time (docs/traffic-model.md). */
export { erlangC, mmcMeanWaitMs, mmcWaitTail } from './cluster/queueing/erlang-c.ts';
/** Traffic model: a replica's level (served, rejected, timed out, goodput) and attempt failure probability. */
export {
  createReplicaLevel,
  type ReplicaLevel,
  replicaFailureProbability,
  settleReplicaLevel,
} from './cluster/queueing/replica-level.ts';
/** Traffic model: a replica as a multi-server queue with a bounded fluid FIFO backlog and its crossings. */
export {
  advanceReplicaQueue,
  backlogAt,
  backlogDelayMs,
  busyWorkers,
  createReplicaQueue,
  DEFAULT_QUEUE_LIMIT,
  defaultConcurrency,
  drainTimeMs,
  nextBacklogCrossingMs,
  nextReplicaEventMs,
  type ReplicaQueue,
  rejectedRps,
  servedRps,
  serviceRateRps,
  setReplicaArrival,
  timeoutBacklog,
  workerServiceTimeMs,
} from './cluster/queueing/replica-queue.ts';
/** Traffic model: one event of queue, retries and level on one replica. */
export {
  createReplicaTraffic,
  type ReplicaTraffic,
  settleReplicaTraffic,
} from './cluster/queueing/replica-traffic.ts';
/** Traffic model: a service's response time as the mixture of its replicas'. */
export {
  createResponseMixture,
  mixtureMeanMs,
  mixtureQuantileMs,
  mixtureSurvival,
  type ResponseMixture,
  resetResponseMixture,
} from './cluster/queueing/response-mixture.ts';
/** Traffic model: the exact M/M/c response-time distribution (service + wait + backlog delay) and its percentiles. */
/** Traffic model: the response-time stretch of a slow node's latency factor, T = D + f (S + W). */
export {
  createResponseTime,
  MAX_STEADY_UTILISATION,
  type ResponseTime,
  responseDensity,
  responseMeanMs,
  responseQuantileMs,
  responseSurvival,
  setMmcResponseTime,
  stretchResponseTime,
} from './cluster/queueing/response-time.ts';
/** Traffic model: the fixed point of offered load and failure probability under retries. */
export {
  createRetryFixedPoint,
  type RetryFixedPoint,
  solveRetryFixedPoint,
} from './cluster/queueing/retry-fixed-point.ts';
/** Traffic model: client timeouts, attempts, full-jitter backoff and retry budgets. */
export {
  backoffCeilingMs,
  backoffDelayMs,
  clientGoodputRps,
  DEFAULT_RETRY_BUDGET,
  DEFAULT_RETRY_POLICY,
  maxOfferedRps,
  meanBackoffMs,
  offeredWithRetriesRps,
  type RetryBudget,
  type RetryPolicy,
  retryAmplification,
  retryLagMs,
} from './cluster/queueing/retry-policy.ts';
/** Traffic model: a service's queues and clients settled together over the load balancer's shares (the wiring). */
export {
  createServiceTraffic,
  type QueueSlot,
  type ServiceTraffic,
  serviceFailureProbability,
  settleServiceTraffic,
} from './cluster/queueing/service-traffic.ts';
/** A call edge at run time: its spec, a fault on it, its circuit and what the caller sees of its calls. */
export type { CallEdge } from './cluster/runtime/records.ts';
/** One callee as its caller's mesh proxy reports it (ServiceScrape.dependencies). */
export type { DependencyScrape } from './cluster/runtime/scrapes.ts';
/** Why a container last ended, as the kubelet reports it (`OOMKilled`, `Error`). */
export type { Termination } from './cluster/runtime/states.ts';
/** Sensors: the only view of the cluster a controller gets (heartbeats, scrapes, probes, host status). */
export {
  type ContainerStatus,
  type HostStatus,
  type LatencyObjective,
  type NodeReading,
  type ReplicaPlacement,
  Sensors,
} from './cluster/sensors.ts';
/** One declared call of a service (`calls` in a scenario). */
export type { CallSpec } from './cluster/spec.ts';
/** Load balancer membership (health checks or a Service's endpoints) and Kubernetes' readiness probe timing. */
export {
  endpointFlipAtMs,
  type LbMembership,
  READINESS_PROBE_DEFAULTS,
  type ReadinessProbeSpec,
} from './cluster/traffic/readiness.ts';
/** Loads a user controller module (`--policy ./x.js`, `controller.module`) before runs; typed errors. */
export {
  type ControllerModuleError,
  type ControllerModuleRef,
  loadControllerModule,
  resolveControllerModule,
} from './controllers/controller-module.ts';
/** Every selectable controller (`mapek` and the baselines) and module paths, as scenarios and `--policy` name them. */
export {
  type BuiltinPolicyName,
  type ControllerSpec,
  type ModulePolicyPath,
  POLICY_NAMES,
  type PolicyName,
} from './controllers/controller-spec.ts';
/** Builds a controller by name: the registry every run goes through. */
export { POLICIES, type PolicyFactory, type PolicyOptions, policyFactory } from './controllers/registry.ts';
/** Your own controller: the factory a module default-exports, typed by `defineController` (docs/custom-controllers.md). */
export {
  type ControllerFactory,
  type ControllerSetup,
  type DefinedController,
  defineController,
} from './controllers/user-controller.ts';
/** The loop's configuration: the seed's four settings plus tuning, immutable, with `with*` builders. */
export { MapekConfig, type MapekConfigBuilders, type MapekConfigValues } from './mapek/config.ts';
/** The loop's diagnosis along the call graph: when an edge fails, what it localises. */
export { DEPENDENCY_THRESHOLDS, diagnoseDependencies } from './mapek/dependency-diagnosis.ts';
/** MAPE-K failures as typed values. */
export {
  type KnowledgeFileProblem,
  type MapekError,
  type MapekErrorKind,
  mapekError,
} from './mapek/errors.ts';
/** The MAPE-K loop: create it on a world, then `runCycle()` or `runContinuous(durationMs)`; also a Controller. */
/** The loop's actors recorded as @statelyai/inspect events, in sim time (`mapek run --inspect`). */
export {
  createInspectionRecorder,
  type InspectionRecorder,
  serializeInspection,
} from './mapek/inspection.ts';
/** Knowledge files: load, check and save (atomically) what the loop has learned. */
export {
  type KnowledgeFileData,
  loadKnowledgeFile,
  parseKnowledge,
  type SaveKnowledgeOptions,
  saveKnowledgeFile,
} from './mapek/knowledge-file.ts';
/** The MAPE-K loop: create it on a world, then `runCycle()` or `runContinuous(durationMs)`; also a Controller. */
export { type LoopObservers, MapekLoop, type MapekLoopOptions } from './mapek/mapek-loop.ts';
/** The loop's settings defined once: name, file key, default, unit, range, description, builder. */
export { MAPEK_SETTINGS, type SettingName, type SettingRow, type SettingUnit } from './mapek/settings.ts';
/** One row of the planner's catalog: the causes it answers, its prior, how it expands into actions. */
export type { Strategy } from './mapek/strategy.ts';
/** The planner's catalog of recovery strategies, as data. */
export { STRATEGY_CATALOG } from './mapek/strategy-catalog.ts';
/** The loop's data: what it observes, diagnoses, plans and does, cycle by cycle; every failure type. */
export {
  type ActionType,
  type AnalysisResult,
  type CallEdgeRef,
  type ClusterState,
  type DependencyHealth,
  type DetectedFailure,
  type ExecutionResult,
  FAILURE_TYPES,
  type FailureType,
  type LoadEstimate,
  type MapekCycleResult,
  type PhaseTimings,
  type RecoveryAction,
  type RecoveryOutcome,
  type RecoveryPlan,
  type RootCause,
  type ServiceHealth,
  type StrategyId,
  type Symptom,
  type SystemMetrics,
  type Topology,
} from './mapek/types.ts';
/** Percentile summaries (p50/p95/p99/max), as every report gives them. */
export { type Distribution, distributionOf } from './measures/distribution.ts';
/** The measures, defined once: detection and recovery time of each fault, judged on ground truth. */
export { type DetectionReport, type FaultMeasures, measureFaults } from './measures/fault-measures.ts';
/** Online safety invariants of a run, judged on ground truth (`RunOptions.checkInvariants`). */
export { InvariantChecker } from './measures/invariants/invariant-checker.ts';
/** A broken safety invariant: which one, the instant it broke and the objects it broke on. */
export type { InvariantName, InvariantViolation } from './measures/invariants/invariant-violation.ts';
export { renderRunReport } from './report/html/run-report.ts';
export { renderSweepReport } from './report/html/sweep-report.ts';
/** Run journals: the scenario, seed, verdict, SLOs, per-fault measures and trace hash of a run. */
export {
  buildJournal,
  JOURNAL_FORMAT,
  type Journal,
  type JournalFault,
  type JournalSummary,
  serializeJournals,
  withoutWall,
} from './report/journal.ts';
/** Replay's comparison: the first field where a recorded and a recomputed journal differ. */
export { firstJournalDifference, type JournalDifference } from './report/journal-diff.ts';
/** A run as OTLP/JSON spans built with the OpenTelemetry SDK on sim time (`mapek run --otel`). */
export { otlpTraceJson } from './report/otel/otlp-file.ts';
export { runSpans } from './report/otel/run-spans.ts';
/** The work a run would be, estimated before it runs, and the limit `run` checks it against. */
export { type CostEstimate, DEFAULT_COST_LIMIT, estimateCost } from './scenario/cost-estimate.ts';
/** The JSON Schema of scenario files: what `mapek schema` prints and `mapek/scenario.schema.json` is. */
export { scenarioJsonSchema } from './scenario/json-schema.ts';
/** Why a scenario file was refused: file, line, column, field path and what was expected. */
export { formatIssue, type LoadError, type LoadErrorKind, type LoadIssue } from './scenario/load-error.ts';
/** Scenario files (YAML or JSON) to validated scenarios, or typed errors a person can act on. */
export { type LoadedScenario, loadScenarioFile, loadScenarioText } from './scenario/loader.ts';
/** Runs a scenario once with a seed and a policy, and judges its SLOs on ground truth. */
export { type RunError, type RunOptions, type RunResult, runScenario } from './scenario/runner.ts';
/** Controller blocks of scenarios: the policy names. */
/** The scenario schema (zod), the single definition the loader, the JSON Schema export and the types share. */
export { type Scenario, scenarioSchema } from './scenario/schema/scenario.ts';
/** SLO verdicts: each SLO's target, actual value and pass. */
export { evaluateSlos, type SloName, type SloResult } from './scenario/slo-evaluation.ts';
/** The discrete-event kernel: integer-millisecond virtual clock and event queue. */
export { SimKernel, type TimerHandle } from './sim/kernel.ts';
/** Named seeded random streams. */
export { RandomStream, RandomStreams, type StreamName } from './sim/random-streams.ts';
/** The wall-clock instant sim time 0 stands for in exported files (OTLP, inspector events). */
export { SIM_EPOCH_MS } from './sim/sim-epoch.ts';
/** The trace with its stable hash. */
export { Trace, type TraceEvent } from './sim/trace.ts';
/** An XState v5 clock that runs `after` delays in sim time. */
export { type ActorClock, actorClock } from './sim/xstate-clock.ts';
/** Where a sweep's jobs run: in this process by default, or on any pool implementing the interface. */
export { inProcessExecutor, type SweepExecutor } from './sweep/executor.ts';
/** The sweep service: a scenario at many seeds, runs delivered in seed order. */
export { type SweepKnowledge, type SweepOptions, sweep, sweepJobs, sweepOne } from './sweep/sweep.ts';
/** One run of a sweep as plain data, and what it gave. */
export { runSweepJob, type SweepJob, type SweepOutcome, type SweepRun } from './sweep/sweep-job.ts';
/** Plain cycles as runs (the journal's `timeline.quietCycles`), and back to one record per cycle. */
export { type CycleRun, compactCycles, expandCycles } from './timeline/cycle-runs.ts';
/** A run's timeline: per-service level series, cycles, diagnoses, knowledge updates, actions. */
export type {
  KnowledgeRecord,
  LoopDiagnosis,
  RunTimeline,
  TimelineCycle,
} from './timeline/run-timeline.ts';
export { SERIES_METRICS, type SeriesMetric, type ServiceSeries } from './timeline/series.ts';
/** The controller contract every policy implements. */
export type {
  Controller,
  ControllerContext,
  ControllerEffectors,
  ControllerSummary,
  GroundTruthFeed,
  ModelTimings,
} from './world/controller.ts';
/** The ground-truth outcome of a run. */
export type { WorldOutcome } from './world/outcome.ts';
/** A deterministic world: cluster, chaos, measures. */
export { World, type WorldError, type WorldOptions, type WorldSpec } from './world/world.ts';
