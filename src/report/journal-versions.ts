import { compactCycles, expandCycles } from '../timeline/cycle-runs.ts';
import type { TimelineCycle } from '../timeline/timeline-cycle.ts';
import { JOURNAL_FORMAT, JOURNAL_FORMAT_V1 } from './journal.ts';

/** The journal formats this version reads. */
export const READABLE_JOURNAL_FORMATS = [JOURNAL_FORMAT, JOURNAL_FORMAT_V1] as const;

type JsonObject = Record<string, unknown>;

const isObject = (x: unknown): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Cycle records as a version 1 journal holds them: checked only for what compaction reads. */
const isCycleList = (x: unknown): x is TimelineCycle[] =>
  Array.isArray(x) &&
  x.every(
    (c) =>
      isObject(c) &&
      typeof c.cycle === 'number' &&
      typeof c.startedAtMs === 'number' &&
      typeof c.status === 'string' &&
      Array.isArray(c.planned),
  );

/**
 * A parsed journal in the current format: a version 1 journal's per-cycle records become busy cycles and
 * runs (nothing else differs); anything else is returned as it is.
 */
export const upgradeJournal = (item: unknown): unknown => {
  if (!isObject(item) || item.format !== JOURNAL_FORMAT_V1) return item;
  const { timeline, ...rest } = item;
  if (!isObject(timeline)) return { ...rest, format: JOURNAL_FORMAT };
  const { cycles, ...others } = timeline;
  return {
    ...rest,
    format: JOURNAL_FORMAT,
    timeline: { ...others, ...compactCycles(isCycleList(cycles) ? cycles : []) },
  };
};

/**
 * A journal of the current format written as `format` would have written it, for `replay` to compare a
 * rebuilt run with a journal recorded by an older version: version 1 had one record per cycle.
 */
export const inJournalFormat = (journal: JsonObject, format: string): JsonObject => {
  if (format !== JOURNAL_FORMAT_V1) return journal;
  const { timeline, ...rest } = journal;
  const base = { ...rest, format: JOURNAL_FORMAT_V1 };
  if (!isObject(timeline)) return base;
  const { busyCycles, quietCycles, ...others } = timeline;
  const cycles = expandCycles({
    busyCycles: Array.isArray(busyCycles) ? busyCycles : [],
    quietCycles: Array.isArray(quietCycles) ? quietCycles : [],
  });
  // Through JSON, so the records are what a file holds (no `error: undefined`).
  return { ...base, timeline: { ...others, cycles: JSON.parse(JSON.stringify(cycles)) } };
};
