import { z } from 'zod';
import type { PathSegment } from './load-error.ts';

type Schema = z.core.$ZodType;

/** Whether a parsed value is a mapping (not null, not a list). */
export const isRecordLike = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** One wrapper down (optional, default, prefault, pipe input...), or undefined at a shape-bearing schema. */
const stepInto = (s: Schema): Schema | undefined => {
  if (
    s instanceof z.ZodOptional ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodDefault ||
    s instanceof z.ZodPrefault ||
    s instanceof z.ZodReadonly ||
    s instanceof z.ZodCatch ||
    s instanceof z.ZodNonOptional ||
    s instanceof z.ZodLazy
  ) {
    return s.unwrap();
  }
  // A transform is a pipe whose input is the shape the file is written in.
  if (s instanceof z.ZodPipe) return s.in;
  return undefined;
};

/** The schema under wrappers that do not change the shape a file is written in. */
export const unwrap = (schema: Schema): Schema => {
  let s = schema;
  for (let next = stepInto(s); next !== undefined; next = stepInto(s)) s = next;
  return s;
};

/** The first description found on the schema or on the wrappers under it. */
export const descriptionOf = (schema: Schema): string | undefined => {
  for (let s: Schema | undefined = schema; s !== undefined; s = stepInto(s)) {
    const d = z.globalRegistry.get(s)?.description;
    if (d !== undefined) return d;
  }
  return undefined;
};

/** The options of a union, with the one a discriminated union would pick for `value` first. */
const unionOptions = (u: z.ZodUnion, value: unknown): readonly Schema[] => {
  const options = [...u.options] as Schema[];
  if (!(u instanceof z.ZodDiscriminatedUnion) || !isRecordLike(value)) return options;
  const disc = value[u._zod.def.discriminator];
  const matching = options.filter((o) => {
    const inner = unwrap(o);
    if (!(inner instanceof z.ZodObject)) return false;
    const lit = unwrap(inner.shape[u._zod.def.discriminator] as Schema);
    return lit instanceof z.ZodLiteral && lit.values.has(disc as never);
  });
  return matching.length > 0 ? matching : options;
};

/**
 * The schema at `path` below `schema`, following the input `value` to choose among union options.
 * Undefined when the path leaves the schema.
 */
export const schemaAt = (
  schema: Schema,
  path: readonly PathSegment[],
  value: unknown,
): Schema | undefined => {
  if (path.length === 0) return schema;
  const s = unwrap(schema);
  const [seg, ...rest] = path;
  if (seg === undefined) return s;
  const childValue =
    isRecordLike(value) || Array.isArray(value) ? (value as Record<string, unknown>)[seg] : undefined;
  if (s instanceof z.ZodObject) {
    const child = s.shape[String(seg)] as Schema | undefined;
    return child === undefined ? undefined : schemaAt(child, rest, childValue);
  }
  if (s instanceof z.ZodArray) return schemaAt(s.element as Schema, rest, childValue);
  if (s instanceof z.ZodRecord) return schemaAt(s.valueType as Schema, rest, childValue);
  if (s instanceof z.ZodUnion) {
    for (const option of unionOptions(s, value)) {
      const found = schemaAt(option, path, value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
};

/** The keys an object schema (or the options of a union of objects) accepts, in declaration order. */
export const allowedKeys = (schema: Schema | undefined, value: unknown): readonly string[] => {
  if (schema === undefined) return [];
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return Object.keys(s.shape);
  if (s instanceof z.ZodRecord) {
    const keys = unwrap(s.keyType as Schema);
    if (keys instanceof z.ZodEnum) return keys.options.map(String);
    return [];
  }
  if (s instanceof z.ZodUnion) {
    const out: string[] = [];
    for (const option of unionOptions(s, value)) {
      for (const k of allowedKeys(option, value)) if (!out.includes(k)) out.push(k);
    }
    return out;
  }
  return [];
};

/** The options of the union at the top of `schema`, or an empty list. */
export const unionBranches = (schema: Schema | undefined): readonly Schema[] => {
  if (schema === undefined) return [];
  const s = unwrap(schema);
  return s instanceof z.ZodUnion ? ([...s.options] as Schema[]) : [];
};
