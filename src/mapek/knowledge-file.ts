import { existsSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-write.ts';
import { readRegularTextFile } from '../base/read-regular-file.ts';
import { err, ok, type Result } from '../base/result.ts';
import { type KnowledgeFileProblem, type MapekError, mapekError } from './errors.ts';
import type { CycleRecord, LoopObjectives, OutcomeStats, TopologySummary } from './knowledge-base.ts';
import { FAILURE_TYPES, STRATEGY_IDS } from './types.ts';

/** The format tag every knowledge file carries: a file without it was not written by mapek. */
export const KNOWLEDGE_FORMAT = 'mapek-knowledge';
/** The version of the knowledge file layout this build reads and writes. */
export const KNOWLEDGE_VERSION = 1;

/** Knowledge files past this size are refused unread (a long history is a few megabytes). */
export const MAX_KNOWLEDGE_BYTES = 64 * 1024 * 1024;

/** What a knowledge file holds: what the loop learned, so it carries across runs. */
export interface KnowledgeFileData {
  readonly format: typeof KNOWLEDGE_FORMAT;
  readonly version: typeof KNOWLEDGE_VERSION;
  readonly objectives: LoopObjectives;
  readonly topology: TopologySummary | null;
  readonly stats: readonly OutcomeStats[];
  readonly history: readonly CycleRecord[];
}

const count = z.number().int().min(0);
const ms = z.number().finite().min(0);

const fileSchema = z.strictObject({
  format: z.literal(KNOWLEDGE_FORMAT),
  version: z.literal(KNOWLEDGE_VERSION),
  objectives: z.strictObject({
    cycleIntervalMs: ms,
    maxRecoveryTimeMs: ms,
    errorRateThreshold: z.number().min(0).max(1),
    latencyThreshold: z.number().finite().min(1),
  }),
  topology: z
    .strictObject({
      atMs: ms,
      nodes: z.array(z.string()),
      services: z.array(z.string()),
      replicas: count,
    })
    .nullable(),
  stats: z.array(
    z
      .strictObject({
        failureType: z.enum(FAILURE_TYPES),
        strategy: z.enum(STRATEGY_IDS),
        attempts: count,
        successes: count,
        totalRecoveryMs: ms,
      })
      .refine((s) => s.successes <= s.attempts, { message: 'more successes than attempts' }),
  ),
  history: z.array(
    z.strictObject({
      cycle: count,
      atMs: ms,
      totalTimeMs: ms,
      symptoms: count,
      failures: count,
      actions: count,
      timedOut: z.boolean(),
    }),
  ),
});

const problem = (p: KnowledgeFileProblem, path: string, message: string, cause?: unknown): MapekError =>
  mapekError('KnowledgeUpdateFailed', message, {
    problem: p,
    path,
    ...(cause === undefined ? {} : { cause }),
  });

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Checks parsed JSON against the knowledge file layout. Data without the mapek format tag is `foreign`; a
 * knowledge file of another version is `version`; one with the tag but a broken body is `corrupt`.
 */
export const parseKnowledge = (data: unknown, path = '<data>'): Result<KnowledgeFileData, MapekError> => {
  if (!isRecord(data) || data.format !== KNOWLEDGE_FORMAT) {
    return err(
      problem('foreign', path, `${path} is not a mapek knowledge file (no "format": "${KNOWLEDGE_FORMAT}")`),
    );
  }
  if (data.version !== KNOWLEDGE_VERSION) {
    return err(
      problem(
        'version',
        path,
        `${path} is a knowledge file of version ${String(data.version)}; this build reads version ${KNOWLEDGE_VERSION}`,
      ),
    );
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    return err(problem('corrupt', path, `${path} is a damaged knowledge file${where}`, parsed.error.issues));
  }
  return ok(parsed.data as KnowledgeFileData);
};

/** Reads and checks a knowledge file. Never modifies it, whatever is wrong with it. */
export const loadKnowledgeFile = (path: string): Result<KnowledgeFileData, MapekError> => {
  const read = readRegularTextFile(path, MAX_KNOWLEDGE_BYTES);
  if (!read.ok) {
    return err(
      problem('unreadable', path, `cannot read knowledge file ${path}: ${read.error.reason}`, read.error),
    );
  }
  const text = read.value;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    return err(problem('corrupt', path, `${path} is not valid JSON: ${messageOf(cause)}`, cause));
  }
  return parseKnowledge(data, path);
};

/** Options of `saveKnowledgeFile`. */
export interface SaveKnowledgeOptions {
  /** Replace a file at `path` even when it is not a readable knowledge file. Default false. */
  readonly overwrite?: boolean;
}

/**
 * Writes a knowledge file atomically: to a temporary file beside it, flushed, then renamed over the target,
 * so a crash leaves either the old file or the new one, never half of one. A file already at `path` that
 * is not a readable mapek knowledge file is refused (typed error, file untouched) unless `overwrite` is set:
 * it may be someone's data, or a damaged file worth looking at.
 */
export const saveKnowledgeFile = (
  path: string,
  data: KnowledgeFileData,
  options: SaveKnowledgeOptions = {},
): Result<string, MapekError> => {
  const checked = parseKnowledge(data, '<knowledge to save>');
  if (!checked.ok) return checked;
  if (options.overwrite !== true && existsSync(path)) {
    const existing = loadKnowledgeFile(path);
    if (!existing.ok) {
      return err(
        problem(
          existing.error.problem ?? 'foreign',
          path,
          `refusing to overwrite ${path}: ${existing.error.message}; move it away or save with overwrite`,
        ),
      );
    }
  }
  const written = writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
  if (!written.ok) return err(problem('unwritable', path, written.error.message));
  return ok(path);
};

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));
