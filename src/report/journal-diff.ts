/** The first place two journals disagree. */
export interface JournalDifference {
  /** Field path as people read it: `summary.availability`, `faults[0].actions[1].outcome`. */
  readonly field: string;
  /** The values there, as JSON text (`undefined` when the field is missing on that side). */
  readonly recorded: string;
  readonly now: string;
}

/** Fields that may differ between two runs of one scenario and seed: wall-clock facts and the version. */
export const REPLAY_IGNORED_FIELDS: readonly string[] = ['wall', 'mapekVersion'];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const step = (path: string, key: string | number): string =>
  typeof key === 'number'
    ? `${path}[${key}]`
    : IDENTIFIER.test(key)
      ? path === ''
        ? key
        : `${path}.${key}`
      : `${path}[${JSON.stringify(key)}]`;

const show = (v: unknown): string => {
  if (v === undefined) return 'undefined';
  const text = JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const walk = (a: unknown, b: unknown, path: string): JournalDifference | null => {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = walk(a[i], b[i], step(path, i));
      if (d !== null) return d;
    }
    if (a.length !== b.length) {
      return { field: `${path}.length`, recorded: String(a.length), now: String(b.length) };
    }
    return null;
  }
  if (isObject(a) && isObject(b)) {
    // The recorded journal's order first, so the field named is the first one a reader meets.
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) {
      if (path === '' && REPLAY_IGNORED_FIELDS.includes(k)) continue;
      const d = walk(a[k], b[k], step(path, k));
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : { field: path === '' ? '(root)' : path, recorded: show(a), now: show(b) };
};

/**
 * Compares a recorded journal with a recomputed one, both as parsed JSON, field by field in the recorded
 * order, outside {@link REPLAY_IGNORED_FIELDS}. Returns the first difference, or null when they agree.
 */
export const firstJournalDifference = (recorded: unknown, now: unknown): JournalDifference | null =>
  walk(recorded, now, '');
