import { z } from 'zod';
import { err, ok, type Result } from '../base/result.ts';
import {
  isModulePolicy,
  type ModulePolicyPath,
  POLICY_NAMES,
  type PolicyName,
} from '../controllers/controller-spec.ts';
import { READABLE_JOURNAL_FORMATS } from './journal-versions.ts';

/** What `replay` needs from a journal: the rest is for people and other tools. */
export interface ReplayRecord {
  readonly scenarioName: string;
  readonly file: string;
  readonly input: unknown;
  readonly seed: number;
  readonly policy: PolicyName;
  readonly traceHash: string;
  readonly mapekVersion: string;
  /** The scenario file's digest, as recorded. */
  readonly sha256: string;
  /** The starting knowledge as recorded (checked by replay), null when none; undefined in older journals. */
  readonly knowledge:
    | { readonly file: string; readonly sha256: string; readonly data: unknown }
    | null
    | undefined;
  /** The journal's format tag: replay compares in it (a version 1 journal, with version 1's cycle records). */
  readonly format: (typeof READABLE_JOURNAL_FORMATS)[number];
  /** Whether the journal holds a timeline (recorded with one, so replay rebuilds one to compare). */
  readonly hasTimeline: boolean;
  /** The whole journal as parsed, for replay to compare field by field. */
  readonly journal: unknown;
}

/** Journal files past this size are refused unread: a long sweep's journals are tens of megabytes. */
export const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;

/** A journal file `replay` cannot use. */
export interface JournalReadError {
  readonly kind: 'invalid-journal';
  readonly file: string;
  readonly message: string;
}

const replayable = z.looseObject({
  format: z.enum(READABLE_JOURNAL_FORMATS),
  mapekVersion: z.string(),
  scenario: z.looseObject({ name: z.string(), file: z.string(), sha256: z.string(), input: z.unknown() }),
  knowledge: z
    .looseObject({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), data: z.unknown() })
    .nullable()
    .optional(),
  seed: z.number().int().min(0),
  policy: z.union([
    z.enum(POLICY_NAMES),
    z.custom<ModulePolicyPath>((x) => typeof x === 'string' && isModulePolicy(x)),
  ]),
  traceHash: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Reads the journals in a `--json` file: one journal object, or an array of them. Only the fields replay
 * needs are checked; anything else may have been added by a newer version.
 */
export const readJournals = (text: string, file: string): Result<ReplayRecord[], JournalReadError> => {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err({
      kind: 'invalid-journal',
      file,
      message: `not JSON: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const items = Array.isArray(data) ? data : [data];
  if (items.length === 0) return err({ kind: 'invalid-journal', file, message: 'the file holds no journal' });
  const out: ReplayRecord[] = [];
  for (const [i, item] of items.entries()) {
    const parsed = replayable.safeParse(item);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = [...(Array.isArray(data) ? [i] : []), ...(first?.path ?? [])].map(String).join('.');
      return err({
        kind: 'invalid-journal',
        file,
        message: `not a ${READABLE_JOURNAL_FORMATS.join(' or ')} journal: ${where === '' ? '' : `${where}: `}${first?.message ?? 'invalid'}`,
      });
    }
    const j = parsed.data;
    out.push({
      format: j.format,
      scenarioName: j.scenario.name,
      file: j.scenario.file,
      input: j.scenario.input,
      seed: j.seed,
      policy: j.policy,
      traceHash: j.traceHash,
      mapekVersion: j.mapekVersion,
      sha256: j.scenario.sha256,
      knowledge: j.knowledge,
      hasTimeline: typeof item === 'object' && item !== null && 'timeline' in item,
      journal: item,
    });
  }
  return ok(out);
};
