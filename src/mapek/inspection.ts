import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { AnyEventObject, InspectionEvent } from 'xstate';
import { SIM_EPOCH_MS } from '../sim/sim-epoch.ts';

/** The @statelyai/inspect protocol version the events claim (the package version they follow). */
export const INSPECT_VERSION = '0.7.2';

/** The loop's actors, recorded in @statelyai/inspect's event format. */
export interface InspectionRecorder {
  /** The events so far, in the order XState emitted them. */
  readonly events: StatelyInspectionEvent[];
  /** Pass as the loop's `inspect` observer. */
  readonly observer: (event: InspectionEvent) => void;
}

/** What an inspection event's actor reference offers (XState's `ActorRefLike`, read defensively). */
interface RefLike {
  readonly id?: unknown;
  readonly systemId?: unknown;
  readonly _parent?: unknown;
  readonly logic?: unknown;
}

const isRef = (x: unknown): x is RefLike =>
  typeof x === 'object' && x !== null && 'sessionId' in x && 'send' in x;

/** XState's session ids (`x:12`): a process-wide counter, so never a name in a file. */
const SESSION_LIKE = /^x:\d+$/;

/**
 * Names actors for the file: by systemId (`loop`, `monitor`...), the root by `rootName` (XState announces
 * the root before its systemId is set), others by their id, and an actor with none of these by the order it
 * was first seen. A name stands for XState's session id too, which would differ between identical runs.
 */
const actorNames = (rootName: string) => {
  const seen = new WeakMap<object, string>();
  let anonymous = 0;
  return (ref: unknown): string | undefined => {
    if (!isRef(ref)) return undefined;
    if (typeof ref.systemId === 'string') return ref.systemId;
    if (ref._parent === undefined) return rootName;
    if (typeof ref.id === 'string' && !SESSION_LIKE.test(ref.id)) return ref.id;
    let name = seen.get(ref);
    if (name === undefined) {
      name = `actor-${++anonymous}`;
      seen.set(ref, name);
    }
    return name;
  };
};

/** Keys never exported: the loop's runtime (the world's sensors and knowledge) and XState's internals. */
const HIDDEN = new Set(['runtime', 'input', 'machine', 'logic', 'system']);
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;

/**
 * A JSON-safe copy: actor references become their names, maps and sets plain data, functions and XState's
 * private fields (`_nodes`...) are dropped, depth and array length are bounded.
 */
export const jsonSafe = (value: unknown, depth = MAX_DEPTH): unknown => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return undefined;
  if (isRef(value)) return typeof value.systemId === 'string' ? value.systemId : null;
  if (depth <= 0) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => jsonSafe(v, depth - 1) ?? null);
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  if (value instanceof Set) return jsonSafe([...value], depth);
  const entries: [string, unknown][] =
    value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v]) : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (k.startsWith('_') || HIDDEN.has(k)) continue;
    const safe = jsonSafe(v, depth - 1);
    if (safe !== undefined) out[k] = safe;
  }
  return out;
};

const eventOf = (event: AnyEventObject): AnyEventObject => {
  const safe = jsonSafe(event);
  return { ...(typeof safe === 'object' && safe !== null ? safe : {}), type: event.type };
};

/** A snapshot as plain data; `status` first, as XState's are (the fields it lacks stay undefined). */
const snapshotOf = (
  snapshot: unknown,
): Record<string, unknown> & { status: 'active'; output: undefined; error: undefined } => {
  const safe = jsonSafe(snapshot);
  return {
    status: 'active',
    output: undefined,
    error: undefined,
    ...(typeof safe === 'object' && safe !== null ? safe : {}),
  };
};

const definitionOf = (ref: unknown, name: string): string => {
  const logic = isRef(ref) ? ref.logic : undefined;
  const config = typeof logic === 'object' && logic !== null && 'config' in logic ? logic.config : undefined;
  return JSON.stringify(typeof config === 'object' && config !== null ? jsonSafe(config) : { id: name });
};

/**
 * Records XState inspection events as @statelyai/inspect events (actor created, events, snapshots), stamped
 * in sim time (`SIM_EPOCH_MS` + `now()`), with actors named by systemId, so the same run writes the same
 * file: no wall clock, no session id. Microsteps and actions are left out, as @statelyai/inspect does.
 */
export const createInspectionRecorder = (now: () => number, rootName = 'loop'): InspectionRecorder => {
  const events: StatelyInspectionEvent[] = [];
  const nameOf = actorNames(rootName);
  let seq = 0;
  const base = () => ({
    createdAt: String(SIM_EPOCH_MS + now()),
    id: String(++seq),
    _version: INSPECT_VERSION,
  });
  const observer = (e: InspectionEvent): void => {
    const sessionId = nameOf(e.actorRef);
    if (sessionId === undefined) return;
    const rootId = rootName;
    switch (e.type) {
      case '@xstate.actor': {
        const ref: unknown = e.actorRef;
        events.push({
          type: '@xstate.actor',
          name: sessionId,
          sessionId,
          rootId,
          parentId: isRef(ref) ? nameOf(ref._parent) : undefined,
          definition: definitionOf(ref, sessionId),
          // XState announces an actor before it has a snapshot (reading it then throws); the first
          // '@xstate.snapshot' event follows at its start, as @statelyai/inspect's own inspector assumes.
          snapshot: { status: 'active' },
          ...base(),
        });
        return;
      }
      case '@xstate.event':
        events.push({
          type: '@xstate.event',
          sessionId,
          rootId,
          sourceId: nameOf(e.sourceRef),
          event: eventOf(e.event),
          ...base(),
        });
        return;
      case '@xstate.snapshot':
        events.push({
          type: '@xstate.snapshot',
          sessionId,
          rootId,
          event: eventOf(e.event),
          snapshot: snapshotOf(e.snapshot),
          ...base(),
        });
        return;
      default:
        return;
    }
  };
  return { events, observer };
};

/** The inspection file: the events as one JSON array, one event per line, a final newline. */
export const serializeInspection = (events: readonly StatelyInspectionEvent[]): string =>
  `[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`;
