import type { z } from 'zod';
import { didYouMean } from './did-you-mean.ts';
import type { LoadIssue, PathSegment } from './load-error.ts';
import { allowedKeys, descriptionOf, isRecordLike, schemaAt, unionBranches } from './schema-lookup.ts';
import type { Locate } from './source-positions.ts';

type Schema = z.core.$ZodType;
type ZodIssue = z.core.$ZodIssue;

/** What the mapper needs to know about the file: its name, its data, and where each field sits. */
export interface IssueContext {
  readonly file: string;
  /** The whole document as plain data (what the schema saw). */
  readonly input: unknown;
  readonly root: Schema;
  readonly locate: Locate;
}

/** The input value at `path`, or undefined when the path leaves the data. */
export const valueAt = (input: unknown, path: readonly PathSegment[]): unknown => {
  let v = input;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecordLike(v) && Object.hasOwn(v, String(seg))) v = v[String(seg)];
    else return undefined;
  }
  return v;
};

const toSegments = (path: readonly PropertyKey[]): PathSegment[] =>
  path.map((p) => (typeof p === 'number' ? p : String(p)));

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value pairs)',
  array: 'a list',
  null: 'nothing (null)',
};

/** A value as a message shows it: `"abc"`, `the number 30`, `a list`. */
export const showValue = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'nothing (null)';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  return Object.keys(v).length === 0 ? 'an empty mapping' : 'a mapping';
};

const showChoices = (values: readonly unknown[]): string =>
  values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

const withHint = (schema: Schema | undefined): string => {
  const d = schema === undefined ? undefined : descriptionOf(schema);
  return d === undefined ? '' : ` (${d})`;
};

/** How badly a union branch's issues say "this is not my shape": lower means a closer match. */
const shapeMismatch = (issues: readonly ZodIssue[], input: unknown, base: readonly PathSegment[]): number => {
  let score = 0;
  for (const issue of issues) {
    const depth = issue.path.length;
    if (issue.code === 'unrecognized_keys' && depth === 0) score += issue.keys.length;
    else if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && depth === 0) score += 1000;
    else if (issue.code === 'invalid_type' && depth === 1) {
      if (valueAt(input, [...base, ...toSegments(issue.path)]) === undefined) score += 1;
    } else if (issue.code === 'invalid_union' && issue.discriminator !== undefined && depth === 1) {
      const disc = valueAt(input, [...base, ...toSegments(issue.path)]);
      score += disc === undefined ? 3 : 2;
    } else if (issue.code === 'invalid_union' && depth === 0) {
      score += Math.min(...issue.errors.map((b) => shapeMismatch(b, input, base)), 1000);
    }
  }
  return score;
};

/** Whether a branch recognises at least one key of the input object (so the entry was meant for it). */
const recognisesSomeKey = (issues: readonly ZodIssue[], input: unknown): boolean => {
  if (!isRecordLike(input)) return true;
  const keys = Object.keys(input);
  if (keys.length === 0) return false;
  const unknown = new Set(
    issues.flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : [])),
  );
  return keys.some((k) => !unknown.has(k));
};

const describeBranch = (branch: Schema, value: unknown): string => {
  const d = descriptionOf(branch);
  if (d !== undefined) return d;
  const keys = allowedKeys(branch, value);
  return keys.length > 0 ? `{ ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', ...' : ''} }` : 'a value';
};

/**
 * Turns zod issues into issues a person can act on: each with the file position of the field, the field
 * path, and what was expected. Unknown keys get a did-you-mean; a union that fails in every branch reports
 * only the branch the value was written for, not every branch's complaint.
 */
export const mapIssues = (
  ctx: IssueContext,
  issues: readonly ZodIssue[],
  base: readonly PathSegment[] = [],
  schema: Schema = ctx.root,
): LoadIssue[] => {
  const out: LoadIssue[] = [];
  const emit = (path: readonly PathSegment[], message: string, at: 'value' | 'key' = 'value') =>
    out.push({ file: ctx.file, position: ctx.locate(path, at), path, message });
  const baseValue = valueAt(ctx.input, base);

  for (const issue of issues) {
    const rel = toSegments(issue.path);
    const path = [...base, ...rel];
    const value = valueAt(ctx.input, path);
    const here = () => schemaAt(schema, rel, baseValue);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeys(here(), value);
        for (const key of issue.keys) {
          const guess = didYouMean(key, allowed);
          const hint =
            guess !== undefined
              ? `; did you mean "${guess}"?`
              : allowed.length > 0
                ? `; expected one of: ${allowed.join(', ')}`
                : '';
          emit([...path, key], `unknown key "${key}"${hint}`, 'key');
        }
        break;
      }
      case 'invalid_key': {
        const key = rel[rel.length - 1];
        const parent = path.slice(0, -1);
        const allowed = allowedKeys(
          schemaAt(schema, rel.slice(0, -1), baseValue),
          valueAt(ctx.input, parent),
        );
        const guess = key === undefined ? undefined : didYouMean(String(key), allowed);
        const hint =
          guess !== undefined ? `; did you mean "${guess}"?` : `; expected one of: ${allowed.join(', ')}`;
        emit(path, `unknown key "${String(key)}"${hint}`, 'key');
        break;
      }
      case 'invalid_union': {
        if (issue.discriminator !== undefined) {
          const options: readonly unknown[] = 'options' in issue ? (issue.options ?? []) : [];
          if (value === undefined) {
            emit(path, `missing "${issue.discriminator}": expected one of ${showChoices(options)}`);
          } else {
            const guess =
              typeof value === 'string'
                ? didYouMean(
                    value,
                    options.map((o) => String(o)),
                  )
                : undefined;
            const hint = guess !== undefined ? `; did you mean "${guess}"?` : '';
            emit(
              path,
              `unknown ${issue.discriminator} ${showValue(value)}: expected one of ${showChoices(options)}${hint}`,
            );
          }
          break;
        }
        const union = here();
        const branches = unionBranches(union);
        if (issue.errors.length === 0) {
          emit(path, `matches more than one accepted form${withHint(union)}`);
          break;
        }
        // The branch the value was written for: one that knows at least one of its keys, and among
        // those the one with the fewest complaints about the shape itself.
        let best = -1;
        let bestScore = Number.POSITIVE_INFINITY;
        issue.errors.forEach((b, i) => {
          const score = shapeMismatch(b, ctx.input, path);
          if (score < 1000 && recognisesSomeKey(b, value) && score < bestScore) {
            best = i;
            bestScore = score;
          }
        });
        const bestIssues = issue.errors[best];
        if (bestIssues === undefined) {
          const desc = union === undefined ? undefined : descriptionOf(union);
          const forms =
            desc ??
            (branches.length > 0
              ? branches.map((b) => describeBranch(b, value)).join(', or ')
              : 'a different value');
          emit(
            path,
            value === undefined ? `missing: expected ${forms}` : `expected ${forms}; got ${showValue(value)}`,
          );
          break;
        }
        const branch = branches[best];
        out.push(...mapIssues(ctx, bestIssues, path, branch ?? schema));
        break;
      }
      case 'invalid_type': {
        const target = here();
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        if (value === undefined) emit(path, `missing: expected ${expected}${withHint(target)}`);
        else emit(path, `expected ${expected}${withHint(target)}; got ${showValue(value)}`);
        break;
      }
      case 'invalid_value': {
        const choices = issue.values.map((v) => String(v));
        const guess = typeof value === 'string' ? didYouMean(value, choices) : undefined;
        const hint = guess !== undefined ? `; did you mean "${guess}"?` : '';
        const what = value === undefined ? 'missing' : `got ${showValue(value)}`;
        emit(path, `expected one of ${showChoices(issue.values)}; ${what}${hint}`);
        break;
      }
      case 'too_small': {
        const min = Number(issue.minimum);
        if (issue.origin === 'array') emit(path, `needs at least ${min} item${min === 1 ? '' : 's'}`);
        else if (issue.origin === 'string')
          emit(path, min <= 1 ? 'must not be empty' : `needs at least ${min} characters`);
        else
          emit(
            path,
            `must be ${issue.inclusive ? 'at least' : 'greater than'} ${min}; got ${showValue(value)}`,
          );
        break;
      }
      case 'too_big': {
        const max = Number(issue.maximum);
        if (issue.origin === 'array') emit(path, `holds at most ${max} item${max === 1 ? '' : 's'}`);
        else if (issue.origin === 'string') emit(path, `holds at most ${max} characters`);
        else
          emit(path, `must be ${issue.inclusive ? 'at most' : 'less than'} ${max}; got ${showValue(value)}`);
        break;
      }
      default:
        emit(path, issue.message);
    }
  }
  return out;
};

/** Issues in file order, each reported once. */
export const sortIssues = (issues: readonly LoadIssue[]): LoadIssue[] => {
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const key = `${i.position?.line}:${i.position?.column}:${i.path.join('.')}:${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) =>
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
};
