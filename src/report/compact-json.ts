/**
 * JSON as `JSON.stringify(value, null, 2)` writes it, but with arrays of numbers on one line: a service's
 * series is thousands of numbers, and one per line made them most of a long run's journal. Plain data only
 * (no `toJSON`, no cycles); `undefined` is dropped from objects and written `null` in arrays, as JSON does.
 */
export const compactJson = (value: unknown): string => write(value, '') ?? 'null';

const isNumberArray = (v: readonly unknown[]): boolean =>
  v.length > 0 && v.every((x) => typeof x === 'number');

const write = (v: unknown, indent: string): string | undefined => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (isNumberArray(v)) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    return `[\n${v.map((x) => `${inner}${write(x, inner) ?? 'null'}`).join(',\n')}\n${indent}]`;
  }
  const entries: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const text = write(x, inner);
    if (text !== undefined) entries.push(`${inner}${JSON.stringify(k)}: ${text}`);
  }
  return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
};
