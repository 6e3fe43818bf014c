import { createHash } from 'node:crypto';
import { PACKAGE_VERSION } from '../base/package-version.ts';
import type { SkippedFault } from '../chaos/ground-truth.ts';
import type { FaultKind } from '../chaos/spec.ts';
import {
  ACTION_CATALOG,
  type ActionFailure,
  type ActionRequest,
  type ActionType,
} from '../cluster/actions.ts';
import type { ActionRecord } from '../cluster/effectors.ts';
import type { KnowledgeFileData } from '../mapek/knowledge-file.ts';
import { distributionOf } from '../measures/distribution.ts';
import type { InvariantViolation } from '../measures/invariants/invariant-violation.ts';
import type { RunResult } from '../scenario/runner.ts';
import type { Scenario } from '../scenario/schema/scenario.ts';
import { recoverySuccessRate, type SloResult } from '../scenario/slo-evaluation.ts';
import type { RunTimeline } from '../timeline/run-timeline.ts';
import { compactJson } from './compact-json.ts';

/**
 * The journal format tag; bumped when a field changes meaning or disappears. Version 2 keeps the timeline's
 * cycles compact (`busyCycles` whole, plain ones as runs in `quietCycles`) where version 1 had one record per
 * cycle in `timeline.cycles`; both are read (`src/report/journal-versions.ts`).
 */
export const JOURNAL_FORMAT = 'mapek-journal/2';

/** The format before {@link JOURNAL_FORMAT}, still read by `replay` and `report`. */
export const JOURNAL_FORMAT_V1 = 'mapek-journal/1';

/** One action the controller took on a fault's components, with its outcome. */
export interface JournalAction {
  readonly id: number;
  readonly type: ActionType;
  /** The request as the controller made it (`kind`, and its target fields). */
  readonly request: ActionRequest;
  readonly by: string;
  readonly startedAtMs: number;
  readonly finishedAtMs: number | null;
  readonly outcome: 'succeeded' | 'failed' | 'unfinished';
  readonly failure: ActionFailure | null;
  readonly cost: number;
}

/** One injected fault with its measures, all in sim milliseconds from the start of the run. */
export interface JournalFault {
  readonly id: string;
  readonly kind: FaultKind;
  readonly origin: 'timeline' | 'random';
  readonly targets: readonly string[];
  /** The resolved parameters of the fault. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly injectedAtMs: number;
  readonly clearedAtMs: number | null;
  /** Whether it took the service level out of its healthy range; faults without impact are SLO-exempt. */
  readonly impact: boolean;
  readonly impactStartMs: number | null;
  readonly detectedAtMs: number | null;
  readonly diagnosis: string | null;
  readonly recoveredAtMs: number | null;
  readonly mttdMs: number | null;
  readonly mttrMs: number | null;
  readonly actions: readonly JournalAction[];
}

/** The run in a handful of numbers. */
export interface JournalSummary {
  /** Successful over offered requests, all services, whole run, in [0, 1]. */
  readonly availability: number;
  /** Worst windowed degradation, in percent. */
  readonly maxDegradationPercent: number;
  /** Distributions over the impactful faults that were detected (MTTD) or recovered (MTTR). */
  readonly mttdP50Ms: number | null;
  readonly mttdP95Ms: number | null;
  readonly mttrP50Ms: number | null;
  readonly mttrP95Ms: number | null;
  /** Share of impactful faults recovered (within the recovery SLO when set), in [0, 1]. */
  readonly recoverySuccessRate: number;
  readonly lostWrites: number;
  readonly splitBrainMs: number;
  readonly faults: number;
  readonly impactfulFaults: number;
  readonly actions: number;
  readonly actionCost: number;
  /** Kernel events fired: a measure of how much happened. */
  readonly events: number;
}

/** Where the scenario came from, and the scenario itself. */
export interface JournalScenario {
  readonly name: string;
  readonly description: string;
  /** The path as given on the command line. */
  readonly file: string;
  readonly sha256: string;
  /** The file's document as plain data: what `mapek replay` validates and runs again. */
  readonly input: unknown;
  /** The scenario as loaded, every default filled in and every duration in ms. */
  readonly resolved: Scenario;
}

/**
 * The knowledge the MAPE-K loop started from (`run --knowledge`): the file named, a digest, and the
 * content itself, since the file is overwritten by what the run learned and could not replay it.
 */
export interface JournalKnowledge {
  /** The path as given on the command line. */
  readonly file: string;
  /** Hex SHA-256 of `data` as canonical JSON (keys sorted, no spaces): {@link knowledgeDigest}. */
  readonly sha256: string;
  readonly data: KnowledgeFileData;
}

/** Wall-clock facts: the only block allowed to differ between two runs of the same scenario and seed. */
export interface JournalWall {
  readonly wallMs: number;
  /** Simulated time over wall time. */
  readonly simSpeedup: number;
}

/** Everything about one run of one scenario with one seed. */
export interface Journal {
  readonly format: typeof JOURNAL_FORMAT;
  readonly mapekVersion: string;
  readonly scenario: JournalScenario;
  readonly seed: number;
  readonly policy: string;
  /** The starting knowledge, or null when the loop started from nothing. */
  readonly knowledge: JournalKnowledge | null;
  readonly durationMs: number;
  readonly verdict: 'pass' | 'fail';
  readonly slos: readonly SloResult[];
  readonly faults: readonly JournalFault[];
  readonly skippedFaults: readonly SkippedFault[];
  readonly summary: JournalSummary;
  /** The controller's report of itself (cycles, longest phase times); null when it gives none. */
  readonly controller: {
    readonly cycles: number;
    readonly phaseMaxMs: {
      readonly analysis: number;
      readonly planning: number;
      readonly execution: number;
    } | null;
    readonly cycleTimeouts: number | null;
  } | null;
  /**
   * The run over time, for reports (`mapek report`): service series, level changes, detections, every
   * action, the loop's diagnoses and cycles with their phase times. Present when the run recorded it
   * (`--json`, `--html`, `--otel`); absent in journals of older versions, which still replay.
   */
  readonly timeline?: JournalTimeline;
  /** Broken safety invariants, present only when the run checked them (`RunOptions.checkInvariants`). */
  readonly invariantViolations?: readonly InvariantViolation[];
  readonly traceHash: string;
  readonly wall: JournalWall;
}

/** A run's timeline as the journal holds it: its actions in the journal's action shape. */
export type JournalTimeline = RunTimeline<JournalAction>;

/** The source a journal records for its scenario. */
export interface JournalSource {
  readonly file: string;
  readonly sha256: string;
  readonly input: unknown;
  /** The knowledge the run started from, when it started from a file. */
  readonly knowledge?: JournalKnowledge | null;
}

/** JSON with every object's keys sorted: the same data gives the same text whatever order it was built in. */
const canonicalJson = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
};

/** The digest a journal records for starting knowledge: hex SHA-256 of its canonical JSON (keys sorted). */
export const knowledgeDigest = (data: KnowledgeFileData): string =>
  createHash('sha256').update(canonicalJson(data)).digest('hex');

const journalAction = (a: ActionRecord): JournalAction => ({
  id: a.id,
  type: ACTION_CATALOG[a.request.kind].type,
  request: a.request,
  by: a.by,
  startedAtMs: a.startedAtMs,
  finishedAtMs: a.finishedAtMs,
  outcome: a.ok === null ? 'unfinished' : a.ok ? 'succeeded' : 'failed',
  failure: a.failure,
  cost: a.cost,
});

const finite = (values: readonly (number | null)[]): number[] =>
  values.filter((v): v is number => v !== null);

/** Builds the journal of a run. Everything but `wall` follows from the run alone, so it is deterministic. */
export const buildJournal = (
  run: RunResult,
  source: JournalSource,
  wall: { readonly wallMs: number },
): Journal => {
  const { outcome, scenario } = run;
  const measures = new Map(outcome.measures.map((m) => [m.id as string, m]));
  const faults: JournalFault[] = outcome.faults.map((f) => {
    const m = measures.get(f.id);
    return {
      id: f.id,
      kind: f.kind,
      origin: f.origin,
      targets: f.targets,
      params: f.detail,
      injectedAtMs: f.injectedAtMs,
      clearedAtMs: f.clearedAtMs,
      impact: m?.impact ?? false,
      impactStartMs: m?.impactStartMs ?? null,
      detectedAtMs: m?.detectedAtMs ?? null,
      diagnosis: m?.diagnosis ?? null,
      recoveredAtMs: m?.recoveredAtMs ?? null,
      mttdMs: m?.mttdMs ?? null,
      mttrMs: m?.mttrMs ?? null,
      actions: (m?.actions ?? []).map(journalAction),
    };
  });
  const impactful = outcome.measures.filter((m) => m.impact);
  const mttd = distributionOf(finite(impactful.map((m) => m.mttdMs)));
  const mttr = distributionOf(finite(impactful.map((m) => m.mttrMs)));
  const c = run.controller;
  return {
    format: JOURNAL_FORMAT,
    mapekVersion: PACKAGE_VERSION,
    scenario: {
      name: scenario.name,
      description: scenario.description,
      file: source.file,
      sha256: source.sha256,
      input: source.input,
      resolved: scenario,
    },
    seed: run.seed,
    policy: run.policy,
    knowledge: source.knowledge ?? null,
    durationMs: scenario.durationMs,
    verdict: run.verdict,
    slos: run.slos,
    faults,
    skippedFaults: run.skippedFaults,
    summary: {
      availability: outcome.availability,
      maxDegradationPercent: outcome.maxDegradation.degradation * 100,
      mttdP50Ms: mttd.p50,
      mttdP95Ms: mttd.p95,
      mttrP50Ms: mttr.p50,
      mttrP95Ms: mttr.p95,
      recoverySuccessRate: recoverySuccessRate(outcome, scenario.slo.recoveryMs),
      lostWrites: outcome.lostWrites,
      splitBrainMs: outcome.splitBrainMs,
      faults: outcome.faults.length,
      impactfulFaults: impactful.length,
      actions: outcome.actions.length,
      actionCost: outcome.actionCost,
      events: outcome.events,
    },
    controller:
      c === null
        ? null
        : { cycles: c.cycles, phaseMaxMs: c.phaseMaxMs ?? null, cycleTimeouts: c.cycleTimeouts ?? null },
    ...(run.timeline === null
      ? {}
      : { timeline: { ...run.timeline, actions: run.timeline.actions.map(journalAction) } }),
    ...(run.invariantViolations === null ? {} : { invariantViolations: run.invariantViolations }),
    traceHash: outcome.traceHash,
    wall: {
      wallMs: Math.round(wall.wallMs * 10) / 10,
      simSpeedup: wall.wallMs > 0 ? Math.round(scenario.durationMs / wall.wallMs) : 0,
    },
  };
};

/** The journal without its `wall` block: what must be byte-identical for two runs of one scenario and seed. */
export const withoutWall = (journal: Journal): Omit<Journal, 'wall'> => {
  const { wall: _wall, ...rest } = journal;
  return rest;
};

/**
 * The journal as written to disk: two-space JSON, fields in a fixed order, arrays of numbers (the series'
 * columns) on one line, a final newline.
 */
export const serializeJournals = (journals: Journal | readonly Journal[]): string =>
  `${compactJson(journals)}\n`;
